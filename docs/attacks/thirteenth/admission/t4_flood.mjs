// flood queue from one key at low, abort many, then check reservations/queue; high request from other key
import { startUpstream, startGateway, chat, healthz } from './lib.mjs';
const up = await startUpstream(() => ({}));
const gw = await startGateway({ endpoints: [{ name: 'a', baseUrl: up.url, apiKey: 'sk', limits: { rpm: 60 } }], gatewayKeys: ['gk', { key: 'flood', priority: 'low' }] });
const N = +(process.argv[2] || 1500);
const ac = new AbortController();
const ps = []; for (let i = 0; i < N; i++) ps.push(chat(gw, { key: 'flood', signal: ac.signal }));
await new Promise(r => setTimeout(r, 1500));
let hz = await healthz(gw); console.log('during flood queue', JSON.stringify(hz.queue ?? hz.endpoints?.[0]?.queue), 'rss', process.memoryUsage().rss);
const hi = chat(gw, { headers: { 'x-detour-priority': 'high' } });
const norm = chat(gw, {});
ac.abort();
const res = await Promise.all(ps);
const c = {}; for (const r of res) { const k = r.status + '/' + r.ra; c[k] = (c[k] || 0) + 1; } console.log('flood outcomes', c);
console.log('high', await hi); console.log('normal', await norm);
await new Promise(r => setTimeout(r, 500));
hz = await healthz(gw); console.log('after abort queue', JSON.stringify(hz.queue), JSON.stringify(hz.endpoints?.[0]?.quotaRemaining), 'upstream hits', up.count());
gw.p.kill('SIGTERM'); up.srv.close(); up.srv.closeAllConnections(); process.exit(0);
