// Plain-text 429/401/503 bodies with the key straddling the 500th character: what do /healthz (no auth), /admin/state
// and the relayed error show?
import { upstream, gateway, chat, admin, UPKEY } from './lib.mjs';
const keep = UPKEY.length - 3;
let status = 429;
const u = await upstream((req, body, res) => {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end('y'.repeat(500 - keep) + UPKEY + ' zzz');
});
for (const st of [429, 401, 403, 503, 400, 500]) {
  status = st;
  const gw = await gateway([u], { router: { maxAttempts: 1 } });
  const r = await chat(gw, 'gpt-4.1-mini'); const t = await r.text();
  const h = await (await fetch(gw.url + '/healthz')).text();
  const a = await (await admin(gw, '/admin/state')).text();
  const frag = UPKEY.slice(0, 20);
  console.log(st, '-> caller', r.status, 'leak', t.includes(frag), '| /healthz leak', h.includes(frag), '| /admin/state leak', a.includes(frag));
  if (h.includes(frag)) console.log('   healthz reason:', JSON.stringify(JSON.parse(h).endpoints[0].reason).slice(-80));
  await gw.close(100);
}
await u.close();
