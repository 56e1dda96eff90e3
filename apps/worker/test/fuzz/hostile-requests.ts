import fc from 'fast-check';
import type { RawRequest } from './raw-http';

const encoder = new TextEncoder();
const key = 'gk-fuzz';

const validBodies = fc.oneof(
  fc.record({ model: fc.constantFrom('gpt-4.1', 'gpt-4o-mini'), messages: fc.constant([{ role: 'user', content: 'hi' }]) }),
  fc.record({ model: fc.constant('gpt-4.1'), messages: fc.constant([{ role: 'user', content: 'hi' }]), stream: fc.constant(true) }),
  fc.record({ model: fc.constant('text-embedding-3-small'), input: fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 4 })) }),
);

// Model names people and machines send: prototype keys, control characters, very long names, unicode.
const hostileModel = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '', ' ', 'gpt-4.1\u0000', '../../etc/passwd'),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.string({ minLength: 5000, maxLength: 20_000 }),
);
const wrongType = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }));

const objectBodies = fc.oneof(
  { arbitrary: validBodies, weight: 4 },
  fc.record({ model: hostileModel, messages: fc.oneof(fc.constant([{ role: 'user', content: 'hi' }]), wrongType), stream: fc.oneof(fc.boolean(), wrongType) }, { requiredKeys: ['model'] }),
  fc.record({ model: wrongType, messages: fc.constant([{ role: 'user', content: 'hi' }]) }),
  fc.record({ model: fc.constant('gpt-4.1'), messages: wrongType, stream: wrongType, stream_options: wrongType, n: wrongType }),
  fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 8 }),
);

const nested = (depth: number, open: string, close: string) => `${open.repeat(depth)}${close.repeat(depth)}`;

/** Bodies as bytes: JSON of every shape, deep nesting, huge strings, invalid UTF-8, byte order marks, garbage. */
const bodies: fc.Arbitrary<Uint8Array> = fc.oneof(
  { arbitrary: objectBodies.map((value) => encoder.encode(JSON.stringify(value))), weight: 12 },
  fc.jsonValue({ maxDepth: 4 }).map((value) => encoder.encode(JSON.stringify(value) ?? 'null')),
  fc.integer({ min: 1, max: 200_000 }).map((depth) => encoder.encode(nested(depth, '[', ']'))),
  fc.integer({ min: 1, max: 50_000 }).map((depth) => encoder.encode(`{"model":"gpt-4.1","messages":${nested(depth, '[', ']')}}`)),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => encoder.encode(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)),
  fc.integer({ min: 60_000, max: 300_000 }).map((size) => encoder.encode(JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x'.repeat(size) }] }))),
  validBodies.map((value) => Uint8Array.from([0xef, 0xbb, 0xbf, ...encoder.encode(JSON.stringify(value))])),
  validBodies.map((value) => Uint8Array.from([0xfe, 0xff, ...encoder.encode(JSON.stringify(value))])),
  fc.uint8Array({ maxLength: 2048 }),
  fc.string({ unit: 'binary', maxLength: 512 }).map((text) => encoder.encode(text)),
  fc.constant(new Uint8Array(0)),
);

// Weighted towards what reaches Detour's own code: a request Node's parser refuses tests Node, not Detour.
const methods = fc.oneof(
  { arbitrary: fc.constant('POST'), weight: 12 },
  { arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'), weight: 4 },
  { arbitrary: fc.stringMatching(/^[A-Z]{1,10}$/), weight: 1 },
);
const knownPaths = [
  '/v1/chat/completions', '/v1/completions', '/v1/embeddings', '/v1/responses', '/v1/responses/resp_1', '/v1/responses/resp_1/cancel',
  '/v1/messages', '/v1/messages/count_tokens', '/v1/models', '/healthz', '/metrics', '/', '/v1', '/v1/',
];
const paths = fc.oneof(
  { arbitrary: fc.constantFrom('/v1/chat/completions', '/v1/completions', '/v1/embeddings', '/v1/responses', '/v1/messages'), weight: 12 },
  fc.constantFrom(...knownPaths),
  fc.constantFrom(...knownPaths).chain((path) => fc.constantFrom(`${path}?x=1`, `${path}/`, `/${path}`, path.toUpperCase(), `${path}%00`, `${path}/..`, `${path}#frag`)),
  fc.webPath().map((path) => path || '/'),
  fc.stringMatching(/^\/[A-Za-z0-9._~%\-/]{0,60}$/),
  fc.integer({ min: 1000, max: 12_000 }).map((length) => `/v1/${'a'.repeat(length)}`),
);
const authorizations = fc.oneof(
  { arbitrary: fc.constant(`Bearer ${key}`), weight: 10 },
  fc.constant(`bearer    ${key}   `),
  fc.constant(undefined),
  fc.constantFrom('Bearer', 'Bearer ', `Basic ${Buffer.from(`user:${key}`).toString('base64')}`, `Bearer ${key}x`, `Bearer ${key.slice(0, -1)}`),
  fc.stringMatching(/^[\x20-\x7e]{0,200}$/),
  fc.stringMatching(/^[\x20-\x7e]{0,40}$/).map((value) => `Bearer ${value}`),
);
const contentTypes = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 6 },
  fc.constant(undefined),
  fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/octet-stream', '*/*'),
  fc.stringMatching(/^[\x21-\x7e]{0,60}$/),
);
/** How the body's length is told: honestly, by chunks, or by a lie either way. */
const framings = fc.oneof({ arbitrary: fc.constant('honest'), weight: 12 }, fc.constantFrom('chunked', 'longer', 'shorter', 'garbage'));
const extraHeaders = fc.array(fc.tuple(fc.stringMatching(/^x-[a-z0-9-]{1,20}$/), fc.stringMatching(/^[\x20-\x7e]{0,100}$/)), { maxLength: 4 });

/** A hostile request: random method, path, authorization, content type, framing, extra headers and body. */
export const hostileRequests: fc.Arbitrary<RawRequest & { framing: string }> = fc
  .record({ method: methods, path: paths, authorization: authorizations, contentType: contentTypes, framing: framings, extra: extraHeaders, body: bodies })
  .map(({ method, path, authorization, contentType, framing, extra, body }) => {
    const headers: Array<[string, string]> = [];
    if (authorization !== undefined) headers.push(['authorization', authorization]);
    if (contentType !== undefined) headers.push(['content-type', contentType]);
    for (const [name, value] of extra) headers.push([name, value.trim()]);
    let sent = body;
    if (framing === 'chunked') {
      headers.push(['transfer-encoding', 'chunked']);
      sent = body.length === 0 ? encoder.encode('0\r\n\r\n') : Uint8Array.from([...encoder.encode(`${body.length.toString(16)}\r\n`), ...body, ...encoder.encode('\r\n0\r\n\r\n')]);
    } else if (framing === 'longer') headers.push(['content-length', String(body.length + 1 + (body.length % 7))]);
    else if (framing === 'shorter') headers.push(['content-length', String(Math.floor(body.length / 2))]);
    else if (framing === 'garbage') headers.push(['content-length', `${body.length}abc`]);
    else headers.push(['content-length', String(body.length)]);
    return { method, path, headers, body: sent, framing, endAfterWrite: framing === 'longer' };
  });

export const gatewayKey = key;
