import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { maxModelCooldowns } from '@detour/core/store';
import { startChaosUpstream, type ChaosUpstream, type FaultRule } from '@detour/testkit';
import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { startGateway, type RunningGateway } from '../src/node/start-gateway';

// Issue 12, "hardening found by attacking the gateway": each defect, reproduced over real sockets against testkit
// upstreams.

const upstreams: ChaosUpstream[] = [];
const gateways: RunningGateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close(0)));
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

// Characters that every encoding spells differently: `/`, `+` and `=` are percent-encoded, all are \u-escapable.
const key = 'sk-live/Abc+123=xyz_0123456789';

const upstream = async (name: string, script: FaultRule[] = [], extra = {}) => {
  const started = await startChaosUpstream({ name, script, ...extra });
  upstreams.push(started);
  return started;
};

const gatewayFor = async (targets: ChaosUpstream[], extra: Record<string, unknown> = {}) => {
  const config = loadConfig(
    { endpoints: targets.map((target, index) => ({ name: target.name, baseUrl: target.baseUrl, apiKey: key, priority: index })), gatewayKeys: ['gk-hard'], ...extra },
    {},
  );
  const gateway = await startGateway({ config });
  gateways.push(gateway);
  return gateway;
};

const chat = (gateway: RunningGateway, body: unknown = { model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) =>
  fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST', body: JSON.stringify(body), headers: { authorization: 'Bearer gk-hard', 'content-type': 'application/json' },
  });

const unicodeEscaped = (text: string) => [...text].map((character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');

describe('defect 1: upstream keys never leave the gateway, in any encoding', () => {
  it('keeps a key an upstream put in its error code out of /healthz and the relayed error', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'status', status: 429, headers: { 'retry-after': '30' }, body: { error: { message: 'slow down', code: `key_${key}_rejected` } } } }]);
    const gateway = await gatewayFor([primary]);
    const relayed = await (await chat(gateway)).text();
    const health = await (await fetch(`${gateway.url}/healthz`)).text();
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(relayed + health + metrics).not.toContain(key);
    expect(JSON.parse(health).endpoints[0].reason).toContain('[redacted]');
  });

  it.each([
    ['raw', key],
    ['URL-encoded', encodeURIComponent(key)],
    ['JSON \\u-escaped', unicodeEscaped(key)],
    ['base64-encoded', Buffer.from(`Basic user:${key}`).toString('base64')],
  ])('scrubs a %s key from relayed error text', async (_, spelled) => {
    // Written as raw JSON text so the escapes reach the gateway as the upstream sent them.
    const primary = await upstream('primary', [{ fault: { type: 'status', status: 400, body: `{"error":{"message":"bad key ${spelled}","type":"invalid_request_error","code":"bad"}}`, headers: { 'x-echo': spelled } } }]);
    const gateway = await gatewayFor([primary]);
    const response = await chat(gateway);
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(text).not.toContain(spelled);
    expect(text).toContain('[redacted]');
    expect(response.headers.get('x-echo')).not.toContain(spelled);
    expect(response.headers.get('x-echo')).toContain('[redacted]');
  });
});

describe('defect 5: per-model state and metrics stay bounded', () => {
  it('prints each series once and bounds labels, /healthz and model names however many models cool', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 600_000 } }]);
    const gateway = await gatewayFor([primary]);
    const names = [
      ...Array.from({ length: 300 }, (_, index) => `model-${index}`),
      ...Array.from({ length: 100 }, (_, index) => `${index}-${'y'.repeat(240)}`),
    ];
    for (const model of names) await chat(gateway, { model, messages: [] });
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    const series = metrics.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => line.slice(0, line.lastIndexOf(' ')));
    expect(series.length - new Set(series).size).toBe(0);
    expect(Math.max(...[...metrics.matchAll(/model="([^"]*)"/g)].map((match) => match[1]!.length))).toBeLessThanOrEqual(128);
    expect(metrics).toContain('detour_model_cooldown_seconds{endpoint="primary",model="other"}');
    const health = JSON.parse(await (await fetch(`${gateway.url}/healthz`)).text());
    expect(Object.keys(health.endpoints[0].modelCooldownSeconds)).toHaveLength(maxModelCooldowns);
    const tooLong = await chat(gateway, { model: 'z'.repeat(10_000), messages: [] });
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).error.message).toMatch(/limit is 256/);
    // A control character in a model name would reach keys, logs and terminals as is (a NUL moved spend to another
    // key's name in the cost ledger; ANSI escapes reached `detour-gateway costs`).
    for (const model of ['gpt-4.1-mini-x\u0000team-b', 'gpt-4.1\u001b[2J', 'a\nb']) {
      const refused = await chat(gateway, { model, messages: [] });
      expect(refused.status).toBe(400);
      expect((await refused.json()).error.message).toBe('The model name contains a control character.');
    }
    // Lone surrogates all become U+FFFD when written out: three names were one metric series listed three times,
    // which makes a strict scraper refuse /metrics whole (attack 13). An empty name is no model (the README's 400).
    for (const model of ['a\ud800', 'a\udc00', 'b\udfffc']) {
      const refused = await chat(gateway, { model, messages: [] });
      expect(refused.status).toBe(400);
      expect((await refused.json()).error.message).toMatch(/not well-formed Unicode/);
    }
    expect((await chat(gateway, { model: '', messages: [] })).status).toBe(400);
    expect((await chat(gateway, { model: 'emoji-\ud83d\ude00', messages: [] })).status).not.toBe(400);
  });
});

/**
 * One raw HTTP exchange over a socket: what came back, and whether the gateway ended the connection cleanly or reset
 * it. A reset that arrives with the last data can surface as a plain end in libuv, so an end is probed with one more
 * write: after a reset the kernel refuses it (EPIPE or ECONNRESET), after a clean close it is accepted.
 */
const rawExchange = (gateway: RunningGateway, head: string, body = '') => {
  const { port } = new URL(gateway.url);
  const socket = connect({ port: Number(port), host: '127.0.0.1', allowHalfOpen: true });
  const startedAt = performance.now();
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  const ended = new Promise<{ how: 'end' | 'reset' | 'error'; afterMs: number; received: string }>((resolve) => {
    const settle = (how: 'end' | 'reset' | 'error') => {
      resolve({ how, afterMs: performance.now() - startedAt, received });
      socket.destroy();
    };
    socket.once('error', (error: NodeJS.ErrnoException) => settle(['ECONNRESET', 'EPIPE'].includes(error.code ?? '') ? 'reset' : 'error'));
    socket.once('end', () => {
      socket.write('\r\n', (error) => {
        if (!error) settle('end');
      });
    });
  });
  socket.write(head + body);
  return { socket, ended, get received() { return received; } };
};

const requestHead = (path: string, headers: Record<string, string>, version = '1.1') =>
  `POST ${path} HTTP/${version}\r\nhost: 127.0.0.1\r\nauthorization: Bearer gk-hard\r\ncontent-type: application/json\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;

describe('tenth attack: a compressed request body', () => {
  it('is refused with 415 unsupported_encoding naming the header, not read as broken JSON; identity is read', async () => {
    const primary = await upstream('primary');
    const gateway = await gatewayFor([primary]);
    const body = JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] });
    const send = (encoding: string, payload: Blob | string, path = '/v1/chat/completions') =>
      fetch(`${gateway.url}${path}`, {
        method: 'POST', body: payload,
        headers: { authorization: 'Bearer gk-hard', 'x-api-key': 'gk-hard', 'content-type': 'application/json', 'content-encoding': encoding, 'anthropic-version': '2023-06-01' },
      });
    const gzipped = await send('gzip', new Blob([new Uint8Array(gzipSync(body))]));
    expect(gzipped.status).toBe(415);
    expect(gzipped.headers.get('accept-encoding')).toBe('identity');
    const error = (await gzipped.json()) as { error: { code: string; message: string } };
    expect(error.error.code).toBe('unsupported_encoding');
    expect(error.error.message).toContain('Content-Encoding');
    expect(error.error.message).not.toContain('\u001f');
    const messages = await send('br', 'x', '/v1/messages');
    expect(messages.status).toBe(415);
    expect(await messages.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    // No coding, however it is listed (Node joins repeated headers with a comma).
    for (const plain of ['identity', 'IDENTITY', 'identity, ', 'identity,identity', ', identity', '']) expect((await send(plain, body)).status).toBe(200);
    expect(primary.stats().total).toBe(6);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain('detour_rejected_requests_total{reason="unsupported_encoding"} 2');
  });
});

/**
 * A long stream whose caller stopped reading once the answer began: the kernel's buffers fill first (megabytes on
 * loopback), then the gateway's own, until its response waits for `drain`.
 */
const pausedStream = async (extra: Record<string, unknown> = {}) => {
  const primary = await upstream('primary', [], { completionTokens: 120_000 });
  const gateway = await gatewayFor([primary], extra);
  let response: ServerResponse | undefined;
  gateway.server.on('request', (_request: IncomingMessage, outgoing: ServerResponse) => (response = outgoing));
  const body = JSON.stringify({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'hi' }] });
  const exchange = rawExchange(gateway, requestHead('/v1/chat/completions', { 'content-length': String(Buffer.byteLength(body)) }), body);
  exchange.socket.pause();
  await vi.waitFor(() => expect(response?.writableNeedDrain).toBe(true), { timeout: 30_000, interval: 5 });
  return { gateway, exchange, response: response! };
};

describe('defect 10: slow readers and oversized bodies', () => {
  it('leaves no listener behind per back-pressure wait on a slowly read stream', async () => {
    const { response, exchange } = await pausedStream();
    let drains = 0;
    response.on('drain', () => (drains += 1));
    // Read one chunk at a time: each frees a little room, the gateway drains, writes, and waits again.
    for (let read = 0; read < 2000 && drains < 30; read += 1) {
      const before = exchange.received.length;
      exchange.socket.once('data', () => exchange.socket.pause());
      exchange.socket.resume();
      await vi.waitFor(() => expect(exchange.received.length).toBeGreaterThan(before), { timeout: 10_000, interval: 1 });
    }
    expect(drains).toBeGreaterThanOrEqual(30);
    // Counted while a wait is pending: the one wait's listener, the gateway's own one (the caller's signal, which also
    // gives the body budget's share back), Node's own.
    expect(response.listenerCount('close')).toBeLessThanOrEqual(3);
    expect(response.listenerCount('drain')).toBeLessThanOrEqual(2);
    exchange.socket.destroy();
  }, 60_000);

  it('resets the connection of a caller who stopped reading once the router settles its stream as abandoned (tenth attack)', async () => {
    // Before, the upstream was cancelled at streamIdleTimeoutMs but the relay waited on `drain` for as long as the
    // caller kept its socket open, holding the socket and the stream with everything it had delivered.
    const { response, exchange, gateway } = await pausedStream({ router: { streamIdleTimeoutMs: 300 } });
    // The router's verdict comes 300 ms after the last read, the relay's look 1 s after that.
    await vi.waitFor(() => expect(response.destroyed).toBe(true), { timeout: 10_000, interval: 20 });
    exchange.socket.resume();
    const ended = await exchange.ended;
    expect(ended.how).toBe('reset');
    expect(ended.received).not.toMatch(/\r\n0\r\n\r\n$/);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain('detour_requests_total{outcome="client_idle",stream="true",api="chat"} 1');
  }, 60_000);

  it.each([
    ['an oversized body with a declared length', { 'content-length': '20000' }, 'x'.repeat(4096)],
    ['an oversized chunked upload', { 'transfer-encoding': 'chunked' }, `1000\r\n${'x'.repeat(4096)}\r\n`],
    ['a declared length over the limit, body not yet sent', { 'content-length': '20000' }, ''],
  ])('answers %s with 413, and closes soon after when the rest never comes', async (_, headers, body) => {
    const primary = await upstream('primary');
    const gateway = await gatewayFor([primary], { maxBodyBytes: 1024 });
    // The body is never finished: only the gateway can end this exchange.
    const { ended } = rawExchange(gateway, requestHead('/v1/chat/completions', headers), body);
    const result = await ended;
    expect(result.received).toMatch(/^HTTP\/1\.1 413 /);
    expect(result.afterMs).toBeLessThan(2000);
  });

  it('answers 413 in place of 100 Continue to a caller that declares a body over the limit, and invites one within it', async () => {
    const primary = await upstream('primary');
    const gateway = await gatewayFor([primary], { maxBodyBytes: 1024 });
    const refused = await rawExchange(gateway, requestHead('/v1/chat/completions', { 'content-length': '20000', expect: '100-continue' })).ended;
    expect(refused.received).toMatch(/^HTTP\/1\.1 413 /);
    expect(refused.received).not.toContain('100 Continue');

    const body = JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] });
    const { port } = new URL(gateway.url);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const outgoing = request({ port: Number(port), host: '127.0.0.1', method: 'POST', path: '/v1/chat/completions', headers: {
        authorization: 'Bearer gk-hard', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue',
      } });
      outgoing.on('continue', () => outgoing.end(body));
      outgoing.on('response', (response) => {
        response.resume();
        resolve(response.statusCode);
      });
      outgoing.on('error', reject);
    });
    expect(status).toBe(200);
  });

  // Closing at once while the caller was still sending reset the connection under the answer: Node's fetch saw
  // EPIPE instead of the 413 four times in four at 11 MB, its body declared or chunked (the openai SDK happened to
  // read its 413 in the same probes). The rest of the body is now read and thrown away, for a bounded time, before
  // the connection closes.
  it('lets a caller still sending a body over the limit read its 413', async () => {
    const primary = await upstream('primary');
    const gateway = await gatewayFor([primary], { maxBodyBytes: 1024 });
    // The caller runs in its own process, as callers do: in this one, its writes and the gateway's reads take turns.
    const caller = `
      const { default: OpenAI } = await import(${JSON.stringify(pathToFileURL(createRequire(import.meta.url).resolve('openai')).href)});
      const body = { model: 'gpt-4.1', messages: [{ role: 'user', content: 'x'.repeat(12 * 1024 * 1024) }] };
      const outcome = (promise) => promise.then((value) => value.status ?? 'answered', (error) => error.status ?? error.cause?.code ?? error.message);
      const client = new OpenAI({ apiKey: 'gk-hard', baseURL: '${gateway.url}/v1', maxRetries: 0 });
      const bytes = new TextEncoder().encode(JSON.stringify(body));
      const chunked = new ReadableStream({ start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 65536) controller.enqueue(bytes.subarray(offset, offset + 65536));
        controller.close();
      } });
      const headers = { authorization: 'Bearer gk-hard', 'content-type': 'application/json' };
      console.log(JSON.stringify([
        await outcome(client.chat.completions.create(body)),
        await outcome(fetch('${gateway.url}/v1/chat/completions', { method: 'POST', body: JSON.stringify(body), headers })),
        await outcome(fetch('${gateway.url}/v1/chat/completions', { method: 'POST', body: chunked, duplex: 'half', headers })),
      ]));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', caller], { timeout: 30_000 });
    expect(JSON.parse(stdout)).toEqual([413, 413, 413]);
    expect(primary.stats().total).toBe(0);
  }, 40_000);
});

describe('defect 11: request timeouts as documented, and configurable', () => {
  it('defaults to 10 s for headers and 30 s for a whole request', () => {
    const config = loadConfig({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1' }], gatewayKeys: ['k'] }, {});
    expect([config.headersTimeoutMs, config.requestTimeoutMs]).toEqual([10_000, 30_000]);
    expect(() => loadConfig({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1' }], gatewayKeys: ['k'], headersTimeoutMs: 5000, requestTimeoutMs: 1000 }, {}))
      .toThrow(/requestTimeoutMs: must be at least headersTimeoutMs/);
  });

  it('closes a connection whose headers do not arrive within headersTimeoutMs, on time', async () => {
    const primary = await upstream('primary');
    const gateway = await gatewayFor([primary], { headersTimeoutMs: 1000, requestTimeoutMs: 2000 });
    const { ended } = rawExchange(gateway, 'POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\n');
    const result = await ended;
    expect(result.afterMs).toBeGreaterThanOrEqual(950);
    // Node checks every 100 ms here (30 s by default): late by that, plus slack for a busy machine.
    expect(result.afterMs).toBeLessThan(2500);
  });

  it('closes a connection whose body does not arrive within requestTimeoutMs, on time', async () => {
    const primary = await upstream('primary');
    const gateway = await gatewayFor([primary], { headersTimeoutMs: 1000, requestTimeoutMs: 2000 });
    const { ended } = rawExchange(gateway, requestHead('/v1/chat/completions', { 'content-length': '100' }), '{"model":');
    const result = await ended;
    expect(result.afterMs).toBeGreaterThanOrEqual(1950);
    expect(result.afterMs).toBeLessThan(3500);
  });
});

describe('defect 12: a cut stream reaches every caller as a reset, never a clean end', () => {
  it.each(['1.0', '1.1'])('resets an HTTP/%s caller when the upstream stream is cut after its first events (rescue off)', async (version) => {
    const primary = await upstream('primary', [{ fault: { type: 'cut-stream', afterChunks: 2, mode: 'close' } }]);
    const gateway = await gatewayFor([primary], { router: { rescue: 'off' } });
    const body = JSON.stringify({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    const { ended } = rawExchange(gateway, requestHead('/v1/chat/completions', { 'content-length': String(Buffer.byteLength(body)) }, version), body);
    const result = await ended;
    expect(result.received).toMatch(new RegExp(`^HTTP/1\\.[01] 200 `));
    expect(result.received).toContain('data: ');
    expect(result.how).toBe('reset');
  });

  // Issue 16: when a rescue was tried and could not finish the answer, the stream ends with Detour's error event
  // (which SDKs raise as an error); a reset there could destroy that event before the client reads it.
  it.each(['1.0', '1.1'])('ends an HTTP/%s caller\'s stream with an error event when a rescue could not finish it', async (version) => {
    const primary = await upstream('primary', [{ fault: { type: 'cut-stream', afterChunks: 2, mode: 'close' } }]);
    const gateway = await gatewayFor([primary], { router: { maxAttempts: 2, cooldown: { overloadedMs: 10 } } });
    const body = JSON.stringify({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    const { ended } = rawExchange(gateway, requestHead('/v1/chat/completions', { 'content-length': String(Buffer.byteLength(body)), connection: 'close' }, version), body);
    const result = await ended;
    expect(result.received).toMatch(/event: error\ndata: \{"error":\{"message":"The stream from endpoint \\"primary\\" was interrupted [^"]*A rescue was tried and failed/);
    expect(result.received).not.toContain('[DONE]');
  });
});

describe('defects 13 and 6: relayed errors in OpenAI\'s format, with Detour\'s own Retry-After', () => {
  it.each(['ietf', 'openrouter', 'gemini'] as const)('gives callers of a relayed %s 429 an OpenAI-shaped error with the upstream message and Retry-After', async (dialect) => {
    const primary = await upstream('primary', [{ fault: { type: 'rate-limit', dialect, retryAfterMs: 40_000 } }]);
    const gateway = await gatewayFor([primary]);
    const openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'gk-hard', maxRetries: 0 });
    const error = (await openai.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.message).toMatch(/quota|Rate limit|exceeded/i);
    const retryAfter = Number(error.headers?.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(39);
    // Detour's view: the cooldown it set, jitter included.
    expect(retryAfter).toBeLessThanOrEqual(47);
  });

  it('relays Detour\'s capped delay instead of an upstream\'s Retry-After: 999999999', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'status', status: 429, headers: { 'retry-after': '999999999' }, body: { error: { message: 'slow', type: 'requests', code: 'rate_limit_exceeded' } } } }]);
    const gateway = await gatewayFor([primary]);
    const response = await chat(gateway);
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeLessThanOrEqual(86_400);
  });
});

describe('defect 14: deeply nested bodies are refused before parsing', () => {
  it('answers a 10 MB body of nested brackets with a 400 naming the limit, without blocking the event loop', async () => {
    const primary = await upstream('primary');
    const gateway = await gatewayFor([primary], { maxBodyBytes: 11 * 1024 * 1024 });
    const depth = 5 * 1024 * 1024 - 20;
    const body = `{"model":"gpt-4.1","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const response = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', body, headers: { authorization: 'Bearer gk-hard', 'content-type': 'application/json' } });
    const answer = await response.json();
    delay.disable();
    expect(response.status).toBe(400);
    expect(answer.error).toMatchObject({ code: 'json_too_deep', message: expect.stringContaining('128 levels') });
    expect(primary.stats().total).toBe(0);
    // Before the bound this blocked the loop for seconds (the test timed out); what remains is reading the body and
    // this process's own client sending it, well under a second here even with other suites running.
    expect(delay.max / 1e6).toBeLessThan(1500);
  });

  it('still serves a body nested to the configured limit', async () => {
    const primary = await upstream('primary');
    const gateway = await gatewayFor([primary], { maxJsonDepth: 4 });
    expect((await chat(gateway, { model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] })).status).toBe(200);
    expect((await chat(gateway, { model: 'gpt-4.1', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi', x: {} }] }] })).status).toBe(400);
  });
});

describe('defect 15: upstream 401s, uncounted refusals, process metrics', () => {
  it('answers an upstream\'s 401 with 502 upstream_auth_failed, so SDKs do not blame the caller\'s own key', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'unauthorized' } }]);
    const gateway = await gatewayFor([primary]);
    const openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'gk-hard', maxRetries: 0 });
    const error = (await openai.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(error).not.toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error.status).toBe(502);
    expect(error.code).toBe('upstream_auth_failed');
    expect(error.message).toContain('upstream endpoint "primary" rejected');
    expect(error.message).not.toContain(key);
  });

  it('counts requests refused by core before routing: an unknown model and a body over core\'s own limit', async () => {
    const primary = await upstream('primary');
    const config = { endpoints: [{ name: 'primary', baseUrl: primary.baseUrl, models: ['gpt-4.1'] }], gatewayKeys: ['gk-hard'], router: { maxRequestBytes: 200 } };
    const gateway = await startGateway({ config: loadConfig(config, {}) });
    gateways.push(gateway);
    expect((await chat(gateway, { model: 'nope', messages: [] })).status).toBe(404);
    expect((await chat(gateway, { model: 'gpt-4.1', messages: [{ role: 'user', content: 'x'.repeat(500) }] })).status).toBe(413);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain('detour_rejected_requests_total{reason="model_not_found"} 1');
    expect(metrics).toContain('detour_rejected_requests_total{reason="request_too_large"} 1');
  });

  it('exposes process metrics under their conventional names on Node', async () => {
    const primary = await upstream('primary');
    const gateway = await gatewayFor([primary]);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    for (const name of ['process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_p99_seconds', 'process_open_fds']) {
      expect(metrics).toMatch(new RegExp(`^${name} [0-9.e+-]+$`, 'm'));
    }
    expect(Number(/^process_open_fds (\d+)$/m.exec(metrics)![1])).toBeGreaterThan(3);
  });
});

// Issue 18's stop of 2026-12-02: a second attack, by upstreams that lie, over real sockets.
describe('lying upstreams (second attack)', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  /** An upstream on a plain Node server: `answer` writes each response; `.name` and `.baseUrl` as testkit's. */
  const liar = async (name: string, answer: (request: IncomingMessage, response: ServerResponse) => void) => {
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => answer(request, response));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { name, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` } as ChaosUpstream;
  };
  const completion = JSON.stringify({
    id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4.1',
    choices: [{ index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
  });

  it('relays no header the upstream\'s Connection names', async () => {
    const primary = await liar('primary', (_, response) => {
      response.writeHead(200, { 'content-type': 'application/json', connection: 'keep-alive, x-secret-hop', 'x-secret-hop': 'hop', 'x-request-id': 'req_1' });
      response.end(completion);
    });
    const response = await chat(await gatewayFor([primary]));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-secret-hop')).toBeNull();
    expect(response.headers.get('x-request-id')).toBe('req_1');
  });

  it('decodes an answer gzipped though nobody asked, JSON and stream alike', async () => {
    const stream = ['{"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}',
      '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}', '[DONE]']
      .map((data) => `data: ${data}\n\n`).join('');
    const primary = await liar('primary', (_, response) => {
      response.writeHead(200, { 'content-type': servedStream ? 'text/event-stream' : 'application/json', 'content-encoding': 'gzip' });
      response.end(gzipSync(servedStream ? stream : completion));
    });
    let servedStream = false;
    const gateway = await gatewayFor([primary]);
    const json = await chat(gateway);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-encoding')).toBeNull();
    expect(((await json.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content).toBe('hello');
    servedStream = true;
    const streamed = await chat(gateway, { model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    expect(streamed.status).toBe(200);
    expect(await streamed.text()).toContain('"content":"hi"');
  });

  it('believes no quota reset beyond a day, however far one answer puts it, and doubts a success that contradicts the last', async () => {
    let served = 0;
    const limit = { 'x-ratelimit-limit-requests': '100' };
    const truthful = { ...limit, 'x-ratelimit-remaining-requests': '99', 'x-ratelimit-reset-requests': '600ms' };
    const lie = { ...limit, 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '999999h' };
    const primary = await liar('primary', (_, response) => {
      served += 1;
      // The third answer is a 429 that tells the same lie (its `x-should-retry: false` keeps Detour from retrying).
      if (served === 3) {
        response.writeHead(429, { 'content-type': 'application/json', 'x-should-retry': 'false', ...lie });
        response.end(JSON.stringify({ error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json', ...(served === 2 ? lie : truthful) });
      response.end(completion);
    });
    const gateway = await gatewayFor([primary]);
    expect((await chat(gateway)).status).toBe(200);
    expect((await chat(gateway)).status).toBe(200);
    // The first answer taught a minute's window (one request back in 600 ms); a success that puts the same limit's
    // refill 416 days away is doubted, and the bucket refills as taught. A high request leaves no refill for others,
    // so it waits up to 600 ms in the queue and is sent (attack 24, S5).
    const high = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST', body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }),
      headers: { authorization: 'Bearer gk-hard', 'content-type': 'application/json', 'x-detour-priority': 'high' },
    });
    expect(high.status).toBe(429);
    expect(served).toBe(3);
    // A 429's is believed, up to a day: a day's refill of 100 requests frees one every 864 s, not every 4.16 days as
    // the answer implied. The next request is refused for about that long (past the queue's 10 s, so at once).
    const refused = await chat(gateway);
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThan(1000);
    expect(served).toBe(3);
  });
});

describe('the gateway\'s own refusals', () => {
  it('say x-should-retry: false like every other error it answers (401, 400, 404, 413)', async () => {
    const primary = await upstream('primary');
    const gateway = await gatewayFor([primary], { maxBodyBytes: 1024 });
    const post = (path: string, body: string, authorization = 'Bearer gk-hard') =>
      fetch(`${gateway.url}${path}`, { method: 'POST', body, headers: { authorization, 'content-type': 'application/json' } });
    const answers = await Promise.all([
      post('/v1/chat/completions', '{}', 'Bearer not-a-key'),
      post('/v1/chat/completions', '{"model": '),
      post('/v1/no-such-route', '{}'),
      post('/v1/chat/completions', JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x'.repeat(2048) }] })),
    ]);
    expect(answers.map((answer) => [answer.status, answer.headers.get('x-detour-error'), answer.headers.get('x-should-retry')])).toEqual([
      [401, 'unauthorized', 'false'], [400, 'invalid_json', 'false'], [404, 'not_found', 'false'], [413, 'request_too_large', 'false'],
    ]);
    expect(primary.stats().total).toBe(0);
  });
});
