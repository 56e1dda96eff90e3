// One endpoint (or a+b) answering 429/503 with various delays: sleep vs fail, what the caller gets back.
import { upstream, createFetch, ERR, OK, eps, body } from './lib.mjs';
let beh = {};
const up = await upstream(new Proxy({}, { get: (_, k) => beh[k] }));
async function run(label, behaviour, opts = {}, names = ['a']) {
  beh = behaviour; up.reset();
  const f = createFetch({ endpoints: eps(up, names), ...opts });
  const t = Date.now();
  const res = await f('https://api.openai.com/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: body() });
  const text = await res.text();
  const hdr = (n) => res.headers.get(n);
  console.log(`${label.padEnd(44)} ms=${Date.now() - t} status=${res.status} retry-after=${hdr('retry-after')} x-should-retry=${hdr('x-should-retry')} x-detour-error=${hdr('x-detour-error')} hits=${JSON.stringify(up.counts)} body=${text.slice(0, 110).replace(/\n/g, ' ')}`);
  await f.router?.close?.();
}
const rl = (h) => () => ERR(429, h, { error: { message: 'Rate limit reached for gpt in organization on requests per min (RPM): Limit 3, Used 3, Requested 1.', type: 'requests', code: 'rate_limit_exceeded' } });
await run('429 RA:5 once then OK (sleep expected)', { a: (n) => (n === 0 ? rl({ 'retry-after': '5' })() : OK()) });
await run('429 RA:30 always (> maxServerDelay 20s)', { a: rl({ 'retry-after': '30' }) });
await run('429 RA:5 always, deadline 3000', { a: rl({ 'retry-after': '5' }) }, { deadlineMs: 3000 });
await run('429 RA:0 always', { a: rl({ 'retry-after': '0' }) });
await run('429 RA:0 always, a+b(b OK)', { a: rl({ 'retry-after': '0' }) }, {}, ['a', 'b']);
await run('429 no hint always', { a: rl({}) });
await run('503 no hint always', { a: () => ERR(503, {}, { error: { message: 'overloaded', type: 'server_error', code: 'server_is_overloaded' } }) });
await run('529 overloaded_error RA:3 always', { a: () => ERR(529, { 'retry-after': '3' }, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }) });
await run('500 api_error always', { a: () => ERR(500, {}, { type: 'error', error: { type: 'api_error', message: 'Internal' } }) });
await run('429 x-should-retry:false RA:1 always', { a: rl({ 'retry-after': '1', 'x-should-retry': 'false' }) });
await up.close();
