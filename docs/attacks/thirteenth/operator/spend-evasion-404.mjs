// Same as spend-evasion.mjs, but the upstream answers 404 model_not_found for the junk names (as OpenAI does).
import { upstream, okChat, gateway, admin } from './lib.mjs';
const KA = 'gk-team-a-0123456789';
const u = await upstream((req, body, res) => {
  if (JSON.parse(body).model.startsWith('junk')) { res.writeHead(404, { 'content-type': 'application/json' }); return res.end('{"error":{"message":"The model does not exist","code":"model_not_found"}}'); }
  okChat(req, body, res);
});
const gw = await gateway([u], { root: { gatewayKeys: [{ key: KA, name: 'team-a' }] } });
const call = (model) => fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${KA}`, 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) }).then(async (r) => [r.status, await r.text()]);
const msLeft = 60_000 - (Date.now() % 60_000); if (msLeft < 8000) await new Promise((r) => setTimeout(r, msLeft + 100));
console.log('junk answer', (await call('junk-x')));
for (let i = 0; i < 64; i++) await call(`junk-${i}`);
for (let i = 0; i < 5; i++) await call('gpt-4.1-mini');
const costs = await (await admin(gw, '/admin/costs?window=1h')).json();
console.log('rows', costs.rows.length, 'byKey', JSON.stringify(costs.byKey.map((r) => ({ key: r.key, totalUsd: r.totalUsd, records: r.records }))));
await gw.close(100); await u.close();
