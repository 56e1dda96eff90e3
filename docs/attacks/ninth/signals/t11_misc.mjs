// x-should-retry overrides; single endpoint after a 200 with remaining=0 (admission on by default).
import { upstream, createRouter, OK, ERR, send, health, eps } from './lib.mjs';
let beh = {};
const up = await upstream(new Proxy({}, { get: (_, k) => beh[k] }));
const run = async (label, b, names = ['a', 'b'], opts = {}) => {
  beh = b; up.reset();
  const router = createRouter({ endpoints: eps(up, names), ...opts });
  const r1 = await send(router); const r2 = await send(router);
  const a = (await health(router)).find((x) => x.name === 'a');
  console.log(`${label.padEnd(56)} r1=${r1.ok ? 'OK' : r1.code}(${r1.ms}ms)[${(r1.attempts || []).join(',')}] r2=${r2.ok ? 'OK' : r2.code}(${r2.ms}ms)[${(r2.attempts || []).join(',')}] retryAfterMs=${r2.retryAfterMs} hits=${JSON.stringify(up.counts)}`);
  await router.close();
};
await run('500 + x-should-retry:false, backup ok', { a: () => ERR(500, { 'x-should-retry': 'false' }) });
await run('400 invalid + x-should-retry:true (single)', { a: (n) => (n === 0 ? ERR(400, { 'x-should-retry': 'true' }, { error: { message: 'bad', type: 'invalid_request_error' } }) : OK()) }, ['a']);
await run('408 then OK (single)', { a: (n) => (n === 0 ? ERR(408, {}) : OK()) }, ['a']);
await run('single: 200 limit 3 rem 0 reset 6m0s, then next', { a: (n) => (n === 0 ? { ...OK(), headers: { 'content-type': 'application/json', 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '6m0s' } } : OK()) }, ['a']);
await run('single: 200 limit 3 rem 0 reset 3s, then next', { a: (n) => (n === 0 ? { ...OK(), headers: { 'content-type': 'application/json', 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '3s' } } : OK()) }, ['a']);
await up.close();
