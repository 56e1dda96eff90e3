// B2: half-open probe whose caller aborts. primary fails (500) 5x -> open 5 s. After it, the first request (the probe)
// hangs at the upstream and its caller aborts after 200 ms; the upstream is healthy from then on. Then one request
// every 500 ms. When does primary take traffic again (slot returned at once, or after probeTimeoutMs = 30 s)?
import { createRouter, createFakeClock, endpoint, delayedTransport, chat, DetourError } from './harness.mjs';
const variant = process.argv[2] ?? 'abort'; // abort | timeout (attemptTimeoutMs 1 s ends the hung probe instead)
const clock = createFakeClock();
const origin = clock.now();
let phase = 'failing'; let hungOnce = false;
const transport = delayedTransport(clock, (name) => {
  if (name === 'backup') return { latencyMs: 50 };
  if (phase === 'failing') return { status: 500, latencyMs: 10, body: { error: { message: 'boom', type: 'server_error' } } };
  if (!hungOnce) { hungOnce = true; return { hang: true }; }
  return { latencyMs: 50 };
});
const router = createRouter({ endpoints: [endpoint('primary', { priority: 0 }), endpoint('backup', { priority: 1 })], ...(variant === 'timeout' ? { attemptTimeoutMs: 1000 } : {}), maxAttempts: 1 },
  { transport, clock, sleep: clock.sleep, random: () => 0.5 });
const ticks = async () => { for (let i = 0; i < 50; i += 1) await Promise.resolve(); };
const events = []; router.subscribe((e) => { if (e.type === 'breaker-change') events.push(`${((clock.now() - origin) / 1000).toFixed(2)}s ${e.to ?? e.position}`); });
for (let i = 0; i < 6; i += 1) { const p = router.send(chat()).catch(() => {}); for (let s = 0; s < 10; s += 1) { clock.advance(10); await ticks(); } await p; }
phase = 'healthy';
clock.advance(5200); await ticks();
const controller = new AbortController();
const probe = router.send({ ...chat(), signal: controller.signal }).then((r) => `ok ${r.endpoint}`, (e) => `err ${e.code ?? e.message}`);
await ticks();
if (variant === 'abort') { clock.advance(200); controller.abort(new Error('caller left')); }
else { for (let s = 0; s < 20; s += 1) { clock.advance(100); await ticks(); } }
await ticks();
console.log('probe result:', await probe);
const served = [];
for (let i = 0; i < 80; i += 1) {
  clock.advance(500); await ticks();
  const p = router.send(chat()).then((r) => r.endpoint, (e) => `err:${e.code}`);
  for (let s = 0; s < 10; s += 1) { clock.advance(10); await ticks(); }
  served.push(`${((clock.now() - origin) / 1000).toFixed(1)}:${await p}`);
}
const firstPrimary = served.find((s) => s.endsWith('primary'));
console.log(`variant=${variant}; probe started at ~${(5.26).toFixed(2)} s; first later request served by primary:`, firstPrimary);
console.log('breaker:', events.join(' | '));
process.exit(0);
