import fc from 'fast-check';
const retryAfterVals = fc.constantFrom('0', '1', '2', '-5', '999999999', '1e309', 'NaN', 'soon', 'Wed, 21 Oct 2015 07:28:00 GMT', 'Fri, 31 Dec 2999 23:59:59 GMT', '0.5', '', '  3 ', '18446744073709551616');
const rlHeader = fc.oneof(
  retryAfterVals.map((v) => ['retry-after', v]),
  fc.constantFrom('0', '-1', '1e400', 'abc', '100').map((v) => ['retry-after-ms', v]),
  fc.tuple(fc.constantFrom('anthropic-ratelimit-requests-limit', 'anthropic-ratelimit-requests-remaining', 'anthropic-ratelimit-requests-reset', 'anthropic-ratelimit-tokens-limit', 'anthropic-ratelimit-tokens-remaining', 'anthropic-ratelimit-tokens-reset', 'anthropic-ratelimit-input-tokens-remaining', 'anthropic-ratelimit-input-tokens-reset', 'anthropic-ratelimit-output-tokens-remaining', 'anthropic-ratelimit-output-tokens-reset', 'anthropic-ratelimit-unified-status', 'anthropic-ratelimit-unified-reset'),
    fc.constantFrom('0', '-1', '2999-01-01T00:00:00Z', '1970-01-01T00:00:00Z', new Date(Date.now() + 2000).toISOString(), 'garbage', '1e309', '100', 'rejected', '', '99999999999')),
  fc.tuple(fc.constantFrom('x-ratelimit-limit-requests', 'x-ratelimit-remaining-requests', 'x-ratelimit-reset-requests', 'x-ratelimit-remaining-tokens', 'x-ratelimit-reset-tokens'), fc.constantFrom('0', '-3', '1e308', 'NaN', '6m0s', '1ms', '999h', '', 'x')),
  fc.constantFrom(['x-should-retry', 'true'], ['x-should-retry', 'false'], ['request-id', '$KEY'], ['x-detour-cost-usd', '-1'], ['content-type', 'text/event-stream'], ['anthropic-organization-id', '$KEY']),
);
const statusArb = fc.oneof(
  { weight: 9, arbitrary: fc.constant(200) },
  { weight: 5, arbitrary: fc.constantFrom(400, 401, 403, 404, 413, 422, 429, 429, 429, 429) },
  { weight: 5, arbitrary: fc.constantFrom(500, 502, 503, 504, 529, 529) },
);
const errArb = fc.constantFrom(
  { etype: 'overloaded_error', code: null, msg: 'Overloaded' },
  { etype: 'rate_limit_error', code: 'rate_limit_exceeded', msg: 'Rate limit reached' },
  { etype: 'api_error', code: null, msg: 'Internal server error' },
  { etype: 'authentication_error', code: 'invalid_api_key', msg: 'invalid x-api-key' },
  { etype: 'invalid_request_error', code: 'context_length_exceeded', msg: 'prompt is too long' },
  { etype: 'not_found_error', code: 'model_not_found', msg: 'model: nope' },
  { etype: 'server_error', code: 'server_error', msg: 'The server had an error' },
);
export const planArb = fc.record({
  status: statusArb,
  shape: fc.oneof({ weight: 7, arbitrary: fc.constant('sse') }, { weight: 4, arbitrary: fc.constant('json') }, { weight: 2, arbitrary: fc.constantFrom('jsonWrong', 'jsonTrunc', 'empty', 'html', 'plain') }, { weight: 4, arbitrary: fc.constantFrom('oaiError', 'antError') }),
  err: errArb,
  ctype: fc.constantFrom(undefined, 'application/json', 'text/event-stream', 'text/html', 'text/plain', 'auto', 'auto', 'auto', 'auto', 'auto', 'auto'),
  framing: fc.constantFrom('chunked', 'chunked', 'cl-right', 'cl-right', 'none', 'cl-long', 'cl-short'),
  encoding: fc.constantFrom(undefined, undefined, undefined, undefined, undefined, 'gzip-real', 'gzip-lie'),
  extraHeaders: fc.array(rlHeader, { maxLength: 3 }),
  echoKey: fc.boolean(),
  echoStyle: fc.constantFrom('whole', 'cut', 'tail', 'uesc', 'slash', 'pct'),
  echoKeyHeader: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  crlf: fc.boolean(),
  pieceSizes: fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 8 }),
  keyAt: fc.nat(9),
  noStart: fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  noFinish: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  pingOnly: fc.oneof({ weight: 15, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  respTerm: fc.constantFrom('completed', 'completed', 'completed', 'completed', 'completed', 'failed', 'incomplete', 'completedButFailed'),
  usage: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'neg', 'huge', 'str', 'big', 'none'),
  swapAt: fc.option(fc.nat(12), { freq: 7 }),
  dupAt: fc.option(fc.nat(12), { freq: 6 }),
  errorAt: fc.option(fc.nat(10), { freq: 5 }),
  keepAliveAt: fc.option(fc.nat(8), { freq: 5 }),
  cutAt: fc.option(fc.nat(12), { freq: 4 }),
  frac: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
  splits: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
  byteSplit: fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  delays: fc.array(fc.constantFrom(0, 0, 0, 1, 5, 30), { maxLength: 13 }),
  end: fc.constantFrom('normal', 'normal', 'normal', 'normal', 'normal', 'close', 'reset', 'reset-mid', 'close-mid', 'stall', 'close-nofinal'),
  stallMs: fc.constantFrom(200, 1500, 5000),
  connClose: fc.boolean(),
}).map((p) => {
  const q = { ...p, etype: p.err.etype, code: p.err.code, msg: p.err.msg };
  delete q.err;
  if (q.ctype === 'auto') q.ctype = q.shape === 'sse' ? 'text/event-stream' : q.shape === 'html' ? 'text/html' : q.shape === 'plain' ? 'text/plain' : 'application/json';
  if (q.shape !== 'sse' && q.framing === 'none' && q.end === 'close-nofinal') q.end = 'normal';
  return q;
});
const healthy = (stream) => ({ status: 200, shape: stream ? 'sse' : 'json', etype: 'x', code: null, msg: '', ctype: stream ? 'text/event-stream' : 'application/json', framing: 'chunked', extraHeaders: [], echoKey: false, echoStyle: 'whole', echoKeyHeader: false, crlf: false, pieceSizes: [3, 3], keyAt: 0, noStart: false, noFinish: false, pingOnly: false, respTerm: 'completed', usage: 'ok', swapAt: null, dupAt: null, errorAt: null, keepAliveAt: null, cutAt: null, frac: 0.5, splits: [], byteSplit: false, delays: [], end: 'normal', stallMs: 200, connClose: false });
// STREAMY: mostly 200 SSE plans with mutations
const streamy = fc.tuple(planArb, fc.nat(9)).map(([p, r]) => (r < 7 ? { ...p, status: 200, shape: 'sse', ctype: r < 6 ? 'text/event-stream' : p.ctype, encoding: r < 5 ? undefined : p.encoding } : p));
export const caseArb = (n, { streamyMode = false, healthyBackup = false, get = false } = {}) => fc.record({
  stream: streamyMode ? fc.constant(true) : fc.boolean(),
  method: get ? fc.constantFrom('POST', 'GET', 'GET') : fc.constant('POST'),
  plans: fc.array(fc.array(streamyMode ? streamy : planArb, { minLength: 1, maxLength: 3 }), { minLength: n, maxLength: n }),
}).map((c) => { if (c.method === 'GET') c.stream = false; if (healthyBackup) c.plans[n - 1] = [healthy(c.stream)]; return c; });
