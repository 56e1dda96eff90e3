// A caller (team-a) fills the minute's 64 cost-ledger rows with junk model names (unpriced, so they cost nothing), then
// its real, priced spend that minute is booked under key "other": /admin/costs byKey and the costs CLI show team-a ~$0.
import { upstream, okChat, gateway, admin } from './lib.mjs';
const KA = 'gk-team-a-0123456789', KB = 'gk-team-b-0123456789';
const u = await upstream(okChat);
const gw = await gateway([u], { root: { gatewayKeys: [{ key: KA, name: 'team-a' }, { key: KB, name: 'team-b' }] } });
const call = (key, model) => fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) }).then((r) => r.arrayBuffer());
// Stay inside one minute bucket.
const msLeft = 60_000 - (Date.now() % 60_000); if (msLeft < 8000) await new Promise((r) => setTimeout(r, msLeft + 100));
for (let i = 0; i < 64; i++) await call(KA, `junk-${i}`);           // 64 unpriced rows, $0
for (let i = 0; i < 20; i++) await call(KA, 'gpt-4.1-mini');         // team-a's real spend
for (let i = 0; i < 5; i++) await call(KB, 'gpt-4.1-mini');          // team-b's real spend, also swept away
const costs = await (await admin(gw, '/admin/costs?window=1h')).json();
console.log('totalUsd', costs.totalUsd);
console.log('byKey', JSON.stringify(costs.byKey.map((r) => ({ key: r.key, totalUsd: r.totalUsd, records: r.records }))));
console.log('byEndpoint', JSON.stringify(costs.byEndpoint.map((r) => ({ endpoint: r.endpoint, totalUsd: r.totalUsd }))));
console.log('byModel top', JSON.stringify(costs.byModel.slice(0, 3).map((r) => ({ model: r.model, totalUsd: r.totalUsd }))));
const metrics = await (await fetch(gw.url + '/metrics')).text();
console.log(metrics.split('\n').filter((l) => l.startsWith('detour_cost_usd_total')).join('\n'));
await gw.close(100); await u.close();
