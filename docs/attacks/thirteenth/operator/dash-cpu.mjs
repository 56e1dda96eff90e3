// A gateway-key holder fills the dashboard's spend ledger (64 rows/min for an hour) and traffic window (128 models per
// 10 s bucket for 5 min) with distinct model names; then each /admin/state (polled every 2 s by an open dashboard)
// blocks the event loop. Date.now is shifted in-process to simulate the hour quickly.
import { upstream, okChat, gateway, chat, admin } from './lib.mjs';
const realNow = Date.now; let offset = 0; Date.now = () => realNow() + offset;
const u = await upstream(okChat);
const gw = await gateway([u]);
const send = async (names) => { for (let i = 0; i < names.length; i += 64) await Promise.all(names.slice(i, i + 64).map((n) => chat(gw, n).then((r) => r.arrayBuffer()))); };
const t0 = realNow();
for (let m = 0; m < 55; m++) { await send(Array.from({ length: 64 }, (_, i) => `m-${m}-${i}-${'x'.repeat(100)}`)); offset += 60_000; }
for (let b = 0; b < 30; b++) { await send(Array.from({ length: 128 }, (_, i) => `t-${b}-${i}-${'y'.repeat(100)}`)); offset += 10_000; }
offset -= 10_000;
console.log('fill done in', realNow() - t0, 'ms');
// event-loop probe: time a /healthz while /admin/state renders
import { monitorEventLoopDelay } from 'node:perf_hooks';
for (let k = 0; k < 3; k++) {
  const h = monitorEventLoopDelay({ resolution: 5 }); h.enable();
  const s = realNow();
  const st = admin(gw, '/admin/state').then(async (r) => ({ ms: realNow() - s, bytes: (await r.text()).length }));
  await new Promise((r) => setTimeout(r, 5));
  const h0 = realNow(); const hz = await fetch(gw.url + '/healthz'); await hz.text(); const hms = realNow() - h0;
  const res = await st;
  h.disable();
  console.log('max event-loop stall ms', (h.max / 1e6).toFixed(0), '/admin/state ms', res.ms, 'bytes', res.bytes, '| concurrent /healthz ms', hms);
}
const h0 = realNow(); await (await fetch(gw.url + '/healthz')).text(); console.log('idle /healthz ms', realNow() - h0);
await gw.close(100); await u.close();
