// Q3: two endpoints a and b in one tier, weights 1:1. a answers ONE 429 at 60 s with limit 60 / remaining 0 / reset 60s,
// then 200s without rate-limit headers (b never sends any). Offered 4 rps for 30 min. Share of a over time.
import { createRouter, createFakeClock, drive, bins, endpoint, delayedTransport } from './harness.mjs';
const clock = createFakeClock();
const origin = clock.now();
let blipped = false;
const transport = delayedTransport(clock, (name) => {
  if (name === 'a' && !blipped && clock.now() - origin >= 60_000) {
    blipped = true;
    return { status: 429, latencyMs: 10, headers: { 'retry-after': '1', 'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '60s' },
      body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } } };
  }
  return { latencyMs: 50 };
});
const router = createRouter({ endpoints: [endpoint('a'), endpoint('b')] }, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
const outcomes = await drive({ clock, router, durationMs: 30 * 60_000, spacingMs: 250, stepMs: 50 });
for (const [bin, b] of bins(outcomes, origin, 5 * 60_000)) console.log(`t ${bin * 5}-${bin * 5 + 5} min: ok ${b.ok} fail ${b.fail} served ${JSON.stringify(b.endpoints)}`);
process.exit(0);
