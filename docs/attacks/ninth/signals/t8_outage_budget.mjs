// Total outage across 3 endpoints: upstream requests per caller request (retry storm?), and what callers get.
import { upstream, createRouter, ERR, send, eps } from './lib.mjs';
let beh = {};
const up = await upstream(new Proxy({}, { get: (_, k) => beh[k] }));
const kinds = {
  '500 server_error': () => ERR(500, {}, { error: { message: 'boom', type: 'server_error' } }),
  '529 overloaded_error': () => ERR(529, {}, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
  '429 Retry-After: 0': () => ERR(429, { 'retry-after': '0' }, { error: { message: 'rl', type: 'requests', code: 'rate_limit_exceeded' } }),
  '429 no hint': () => ERR(429, {}, { error: { message: 'rl', type: 'requests', code: 'rate_limit_exceeded' } }),
};
for (const [label, f] of Object.entries(kinds)) {
  beh = { a: f, b: f, c: f };
  up.reset();
  const router = createRouter({ endpoints: eps(up, ['a', 'b', 'c']), deadlineMs: 8000 });
  const t = Date.now();
  const out = [];
  for (let batch = 0; batch < 4; batch++) out.push(...(await Promise.all(Array.from({ length: 10 }, () => send(router)))));
  const total = Object.values(up.counts).reduce((x, y) => x + y, 0);
  const codes = {}; for (const r of out) codes[r.code ?? 'ok'] = (codes[r.code ?? 'ok'] ?? 0) + 1;
  const maxMs = Math.max(...out.map((r) => r.ms));
  console.log(`${label.padEnd(22)} 40 caller requests -> ${total} upstream (${(total / 40).toFixed(2)}/req) hits=${JSON.stringify(up.counts)} codes=${JSON.stringify(codes)} wall=${Date.now() - t}ms maxReq=${maxMs}ms`);
  await router.close();
}
await up.close();
