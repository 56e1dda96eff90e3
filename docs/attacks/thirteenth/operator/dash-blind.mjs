// 128 junk model names in a 10 s bucket push every later attempt (any caller, any endpoint) into the traffic window's
// `other/other` series, which /admin/state never shows: ep0's 40 failing attempts vanish from its row.
import { upstream, okChat, gateway, chat, admin } from './lib.mjs';
let failing = false;
const u = await upstream((req, body, res) => { if (failing) { res.writeHead(500, { 'content-type': 'application/json' }); return res.end('{"error":{"message":"boom","type":"server_error"}}'); } okChat(req, body, res); });
const gw = await gateway([u], { router: { maxAttempts: 1, breaker: { consecutiveFailures: 1000, minimumVolume: 1000 } } });
const msLeft = 10_000 - (Date.now() % 10_000); if (msLeft < 5000) await new Promise((r) => setTimeout(r, msLeft + 50));
for (let i = 0; i < 128; i++) await (await chat(gw, `junk-${i}`)).arrayBuffer();
failing = true;
const statuses = {};
for (let i = 0; i < 40; i++) { const r = await chat(gw, 'gpt-4.1-mini'); statuses[r.status] = (statuses[r.status] ?? 0) + 1; await r.arrayBuffer(); }
const st = await (await admin(gw, '/admin/state')).json();
const ep = st.endpoints[0];
console.log('caller saw', statuses);
console.log('dashboard ep0: attempts', ep.attempts, 'successRate', ep.successRate, 'gpt-4.1-mini row', JSON.stringify(ep.models.find((m) => m.model === 'gpt-4.1-mini') ?? null));
const m = await (await fetch(gw.url + '/metrics')).text();
console.log(m.split('\n').filter((l) => l.startsWith('detour_attempts_total')).join('\n'));
await gw.close(100); await u.close();
