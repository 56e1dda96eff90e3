// Q2 long: as q2-one-429-reading.mjs (one 429 with limit 60, reset 60s, then no headers), offered 120 rpm, for 3 hours.
import { createRouter, createFakeClock, createScriptedTransport, chatCompletion, drive, bins, endpoint } from './harness.mjs';
const clock = createFakeClock();
const origin = clock.now();
let blipped = false;
const transport = createScriptedTransport({
  a: () => {
    if (!blipped && clock.now() - origin >= 60_000) {
      blipped = true;
      return { status: 429, headers: { 'retry-after': '1', 'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '60s' },
        body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } } };
    }
    return { body: chatCompletion('ok') };
  },
}, { now: clock.now });
const router = createRouter({ endpoints: [endpoint('a')] }, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
const outcomes = await drive({ clock, router, durationMs: 180 * 60_000, spacingMs: 500, stepMs: 100 });
for (const [bin, b] of bins(outcomes, origin, 15 * 60_000)) console.log(`t ${bin * 15}-${bin * 15 + 15} min: ok ${b.ok} refused ${b.fail} ${JSON.stringify(b.codes)}`);
process.exit(0);
