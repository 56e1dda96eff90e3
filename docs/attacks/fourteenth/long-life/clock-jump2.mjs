// Clock steps during a request. (a) back an hour while an upstream answer (1 s) is in flight: durations reported to
// /metrics, the access log and the dashboard. (b) forward a day while an answer is in flight: does the request survive?
import { upstream, gateway, chat, admin, okChat, shift, sleep, GK } from './lib.mjs';
import { startGateway, loadConfig } from '/tmp/attack14b/apps/worker/dist/index.js';
const slow = await upstream((req, body, res) => setTimeout(() => okChat(req, body, res), 1000));
for (const jump of [0, -3_600_000, 86_400_000]) {
  const logs = [];
  const config = loadConfig({ endpoints: [{ name: 'ep0', baseUrl: slow.url, apiKey: 'sk-x0123456789' }], gatewayKeys: [GK], admin: { key: 'ak-admin-0123456789' } }, {});
  const gw = await startGateway({ config, accessLog: (l) => logs.push(l) });
  const p = chat(gw, 'gpt-4.1');
  await sleep(300); shift(jump);
  const r = await p; const text = await r.text();
  await sleep(50);
  const m = await (await fetch(gw.url + '/metrics')).text();
  const sum = m.split('\n').filter((l) => /^detour_(request_duration_seconds_sum|attempt_duration_seconds_sum|time_to_first_byte_seconds_sum)/.test(l));
  const st = await (await admin(gw, '/admin/state')).json();
  const log = logs.map((l) => { try { const o = JSON.parse(l); return { durationMs: o.durationMs ?? o.duration_ms ?? o.ms, time: o.time ?? o.ts }; } catch { return l.slice(0, 200); } });
  console.log(`jump ${jump}: status ${r.status} ${r.status !== 200 ? text.slice(0, 200) : ''}\n  metrics ${sum.join(' | ')}\n  access log ${JSON.stringify(log)}\n  state endpoint p50 ${st.endpoints?.[0]?.p50Ms} firstByteP50 ${st.endpoints?.[0]?.firstByteP50Ms}`);
  shift(-jump);
  await gw.close(0);
}
await slow.close();
process.exit(0);
