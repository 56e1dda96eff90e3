import fc from 'fast-check';

const retryAfterVals = fc.constantFrom('0', '1', '2', '-5', '999999999', '1e309', 'NaN', 'soon', 'Wed, 21 Oct 2015 07:28:00 GMT', 'Fri, 31 Dec 2999 23:59:59 GMT', '0.5', '', '  3 ', '18446744073709551616');
const rlHeader = fc.oneof(
  retryAfterVals.map((v) => ['retry-after', v]),
  fc.constantFrom('0', '-1', '1e400', 'abc', '100', '99999999999').map((v) => ['retry-after-ms', v]),
  fc.tuple(fc.constantFrom('x-ratelimit-limit-requests', 'x-ratelimit-remaining-requests', 'x-ratelimit-reset-requests', 'x-ratelimit-limit-tokens', 'x-ratelimit-remaining-tokens', 'x-ratelimit-reset-tokens'), fc.constantFrom('0', '-3', '1e308', 'NaN', '6m0s', '1ms', '999h', '', 'x', '100')),
  fc.tuple(fc.constantFrom('anthropic-ratelimit-requests-limit', 'anthropic-ratelimit-requests-remaining', 'anthropic-ratelimit-requests-reset', 'anthropic-ratelimit-tokens-remaining', 'anthropic-ratelimit-tokens-reset'), fc.constantFrom('0', '-1', '2999-01-01T00:00:00Z', '1970-01-01T00:00:00Z', 'garbage', '1e309')),
  fc.constantFrom(['ratelimit', 'limit=0, remaining=0, reset=-5'], ['ratelimit', '"default";r=0;t=99999999'], ['ratelimit-policy', '"default";q=0;w=0'], ['ratelimit', 'garbage;;;'], ['x-should-retry', 'true'], ['x-should-retry', 'false'], ['x-detour-cost-usd', '-1'], ['openai-processing-ms', '-1'], ['content-type', 'text/event-stream']),
);
export const statusArb = fc.oneof(
  { weight: 8, arbitrary: fc.constant(200) },
  { weight: 1, arbitrary: fc.constantFrom(201, 203, 206, 299) },
  { weight: 1, arbitrary: fc.constantFrom(301, 302, 307) },
  { weight: 5, arbitrary: fc.constantFrom(400, 401, 403, 404, 408, 409, 413, 422, 429, 429, 429) },
  { weight: 4, arbitrary: fc.constantFrom(500, 502, 503, 504, 529) },
);
const shapeArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant('sse') },
  { weight: 3, arbitrary: fc.constant('json') },
  { weight: 1, arbitrary: fc.constantFrom('jsonNoFinish', 'jsonWrong', 'jsonTrunc', 'empty', 'html') },
  { weight: 3, arbitrary: fc.constantFrom('oaiError', 'antError') },
);
const errArb = fc.constantFrom(
  { etype: 'insufficient_quota', code: 'insufficient_quota', msg: 'You exceeded your current quota' },
  { etype: 'invalid_request_error', code: 'context_length_exceeded', msg: "This model's maximum context length is 10 tokens" },
  { etype: 'invalid_request_error', code: 'invalid_api_key', msg: 'Incorrect API key provided:' },
  { etype: 'rate_limit_error', code: 'rate_limit_exceeded', msg: 'Rate limit reached' },
  { etype: 'overloaded_error', code: null, msg: 'Overloaded' },
  { etype: 'server_error', code: null, msg: 'The server had an error' },
  { etype: 'invalid_request_error', code: 'model_not_found', msg: 'The model does not exist' },
);
export const planArb = fc.record({
  status: statusArb,
  shape: shapeArb,
  err: errArb,
  ctype: fc.constantFrom(undefined, 'application/json', 'text/event-stream', 'text/event-stream; charset=utf-8', 'application/json; charset=utf-8', 'text/html', 'text/plain', 'application/octet-stream', 'TEXT/EVENT-STREAM', 'auto', 'auto', 'auto', 'auto', 'auto'),
  framing: fc.constantFrom('chunked', 'chunked', 'cl-right', 'cl-right', 'none', 'cl-long', 'cl-short'),
  encoding: fc.constantFrom(undefined, undefined, undefined, undefined, undefined, undefined, 'gzip-real', 'gzip-lie', 'br-lie'),
  extraHeaders: fc.array(rlHeader, { maxLength: 3 }),
  echoKey: fc.boolean(),
  echoKeyHeader: fc.boolean(),
  crlf: fc.boolean(),
  pieceSizes: fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 8 }),
  keyInStream: fc.constant(false), // a key inside the model's own JSON content is passed as sent (documented)
  keyAt: fc.nat(6),
  noFinish: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  noDone: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  usage: fc.boolean(),
  dupAt: fc.option(fc.nat(10), { freq: 6 }),
  errorAt: fc.option(fc.nat(8), { freq: 5 }),
  errorEventStyle: fc.boolean(),
  keepAliveAt: fc.option(fc.nat(8), { freq: 4 }),
  cutAt: fc.option(fc.nat(10), { freq: 3 }),
  frac: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
  splits: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
  delays: fc.array(fc.constantFrom(0, 0, 0, 1, 5, 30), { maxLength: 13 }),
  end: fc.constantFrom('normal', 'normal', 'normal', 'normal', 'close', 'reset', 'stall', 'close-nofinal'),
  stallMs: fc.constantFrom(200, 1500, 5000),
  connClose: fc.boolean(),
}).map((p) => {
  const q = { ...p, etype: p.err.etype, code: p.err.code, msg: p.err.msg };
  if (q.ctype === 'auto') q.ctype = q.shape === 'sse' ? 'text/event-stream' : q.shape === 'html' ? 'text/html' : 'application/json';
  if (q.shape !== 'sse' && q.framing === 'none' && q.end === 'close-nofinal') q.end = 'normal';
  return q;
});

export const caseArb = (nEndpoints) => fc.record({
  stream: fc.boolean(),
  plans: fc.array(fc.array(planArb, { minLength: 1, maxLength: 3 }), { minLength: nEndpoints, maxLength: nEndpoints }),
});

export const streamyCaseArb = (nEndpoints) => fc.record({
  stream: fc.constant(true),
  plans: fc.array(fc.array(fc.tuple(planArb, fc.nat(9)).map(([p, r]) => (r < 7 ? { ...p, status: 200, shape: 'sse', ctype: r < 6 ? 'text/event-stream' : p.ctype, encoding: r < 5 ? undefined : p.encoding } : p)), { minLength: 1, maxLength: 3 }), { minLength: nEndpoints, maxLength: nEndpoints }),
});
