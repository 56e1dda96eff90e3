// Two Authorization header lines. Node's http parser keeps the first and drops the rest; workerd joins them with ", ".
// The same request is served by the Node gateway and refused 401 by the Worker (and vice versa for content-type joins).
import { startAll, GK, stats } from './lib.mjs';
import { raw } from './raw.mjs';
setTimeout(() => { console.log('WATCHDOG'); process.exit(2); }, 40000).unref();
const s = await startAll();
const body = JSON.stringify({ model: 'gpt', messages: [] });
for (const [label, headers] of [
  ['Authorization: Bearer <gk> / Authorization: Bearer wrong', { 'content-type': 'application/json', authorization: ['Bearer ' + GK, 'Bearer wrong'] }],
  ['Authorization: Bearer <gk> twice', { 'content-type': 'application/json', authorization: ['Bearer ' + GK, 'Bearer ' + GK] }],
  ['Content-Type twice (json, text/plain): what the upstream receives', { authorization: 'Bearer ' + GK, 'content-type': ['application/json', 'text/plain'] }],
]) {
  for (const [name, base] of [['node  ', s.nodeUrl], ['worker', s.workerUrl]]) {
    stats.log.length = 0;
    const r = await raw(base, { headers, body });
    console.log(`${label} | ${name} -> ${r.status} ${r.headers['x-detour-error'] ?? ''}${stats.log[0] ? ` upstream content-type: ${JSON.stringify(stats.log[0].headers['content-type'])}` : ''}`);
  }
}
await s.stop(); process.exit(0);
