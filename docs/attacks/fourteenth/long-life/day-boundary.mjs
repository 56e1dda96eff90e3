// The gateway's clock set 20 s before midnight UTC; 10 priced requests before and 10 after midnight; /admin/costs
// windows 1h and 24h and /admin/state read after. Expect every record in both windows.
import { upstream, gateway, chat, admin, okChat, shift, sleep } from './lib.mjs';
const now = Date.now();
const midnight = Math.ceil(now / 86_400_000) * 86_400_000;
shift(midnight - 20_000 - now);
const a = await upstream(okChat);
const gw = await gateway([a]);
for (let i = 0; i < 10; i++) { const r = await chat(gw, 'gpt-4.1'); await r.text(); }
console.log('before midnight', new Date(Date.now()).toISOString());
await sleep(21_000);
for (let i = 0; i < 10; i++) { const r = await chat(gw, 'gpt-4.1'); await r.text(); }
console.log('after midnight', new Date(Date.now()).toISOString());
for (const w of ['1h', '24h']) {
  const c = await (await admin(gw, `/admin/costs?window=${w}`)).json();
  console.log(w, 'records', c.rows.reduce((s, r) => s + r.records, 0), 'totalUsd', c.totalUsd, 'from', new Date(c.from).toISOString());
}
const st = await (await admin(gw, '/admin/state')).json();
console.log('state attempts', st.endpoints[0].attempts, 'spendUsd', st.endpoints[0].spendUsd);
await gw.close(0); await a.close();
process.exit(0);
