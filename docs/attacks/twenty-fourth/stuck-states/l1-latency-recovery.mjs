// L1: latency-aware selection. Endpoints a and b in one tier. For 5 min a answers in 2000 ms (or fails with 500:
// argv[2]=fail) and b in 100 ms; then a answers in 40 ms. Offered 10 rps. How fast does a get the traffic back?
import { createRouter, createFakeClock, drive, bins, endpoint, delayedTransport } from './harness.mjs';
const mode = process.argv[2] ?? 'slow';
const clock = createFakeClock();
const origin = clock.now();
const recoverAt = origin + 5 * 60_000;
let seed = 42; const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const transport = delayedTransport(clock, (name) => {
  const recovered = clock.now() >= recoverAt;
  if (name === 'b') return { latencyMs: 100 };
  if (recovered) return { latencyMs: 40 };
  return mode === 'fail' ? { status: 500, latencyMs: 30, body: { error: { message: 'boom', type: 'server_error' } } } : { latencyMs: 2000 };
});
const router = createRouter({ endpoints: [endpoint('a'), endpoint('b')], selection: 'latency' }, { transport, clock, sleep: clock.sleep, random });
const outcomes = await drive({ clock, router, durationMs: 8 * 60_000, spacingMs: 100, stepMs: 10 });
const firstA = transport.calls.filter((c) => c.endpoint === 'a' && c.at >= recoverAt);
console.log(`mode=${mode}; a recovers (40 ms vs b's 100 ms) at 300 s; offered 10 rps`);
for (const [bin, b] of bins(outcomes, origin, 30_000)) console.log(`t ${bin * 30}s: ok ${b.ok} fail ${b.fail} served ${JSON.stringify(b.endpoints)} ${JSON.stringify(b.codes)}`);
const callsA = transport.calls.filter((c) => c.endpoint === 'a');
console.log('calls to a before recovery in last 2 min:', callsA.filter((c) => c.at < recoverAt && c.at >= recoverAt - 120_000).length, 'first call to a after recovery at +', firstA.length ? (firstA[0].at - recoverAt) / 1000 + ' s' : 'never');
process.exit(0);
