// An upstream answering every request with an error whose `code`, `type` and status vary per request (4xx relayed,
// 5xx failed over): do upstream-chosen strings reach /metrics labels, /admin/state or heap without a bound?
import { upstream, gateway, chat, admin, heapMB } from './lib.mjs';
let n = 0;
const statuses = [400, 403, 404, 409, 422, 429, 500, 502, 503, 418, 451];
const a = await upstream((req, body, res) => { const i = n++; const st = statuses[i % statuses.length]; res.writeHead(st, { 'content-type': 'application/json', 'x-request-id': `r${i}` }); res.end(JSON.stringify({ error: { message: `m${i}`, type: `type_${i}`, code: `code_${i}_${'x'.repeat(50)}`, param: `p${i}` } })); });
const b = await upstream((req, body, res) => { const i = n++; const st = statuses[(i + 3) % statuses.length]; res.writeHead(st, { 'content-type': 'application/json' }); res.end(JSON.stringify({ error: { message: `m${i}`, type: `type_${i}`, code: `code_${i}` } })); });
const gw = await gateway([a, b]);
const N = Number(process.env.N ?? 20000);
console.log('start heapMB', heapMB());
const codes = {};
let next = 0;
await Promise.all(Array.from({ length: 16 }, async () => { while (next < N) { const i = next++; const r = await chat(gw, 'gpt-4.1', { 'x-detour-priority': 'low' }); codes[r.status] = (codes[r.status] ?? 0) + 1; await r.arrayBuffer(); } }));
const m = await (await fetch(gw.url + '/metrics')).text();
const series = m.split('\n').filter((l) => l && !l.startsWith('#'));
const outcomes = new Set(series.filter((l) => l.startsWith('detour_requests_total')).map((l) => /outcome="([^"]*)"/.exec(l)?.[1]));
const kinds = new Set(series.filter((l) => l.startsWith('detour_attempts_total')).map((l) => /kind="([^"]*)"/.exec(l)?.[1]));
const st = await (await admin(gw, '/admin/state')).text();
console.log('after', N, 'heapMB', heapMB(), 'statuses', JSON.stringify(codes), 'metrics series', series.length, 'bytes', m.length, 'outcome labels', [...outcomes].join(','), 'attempt kinds', [...kinds].join(','), 'stateB', st.length);
await gw.close(0); await a.close(); await b.close();
process.exit(0);
