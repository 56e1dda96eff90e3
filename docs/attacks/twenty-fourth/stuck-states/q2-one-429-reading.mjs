// Q2: a provider that sends x-ratelimit-* headers only on its 429s (successes carry none). Capacity is 600 rpm
// throughout, except ONE 429 at t=60 s saying limit 60 (e.g. a transient per-minute limit during an incident, or a
// proxy's own limiter), remaining 0, reset 1 s. Offered load: 4 rps (240 rpm), well under 600.
// Question: how long does the one stale reading hold the endpoint to 60 rpm?
import { createRouter, createFakeClock, createScriptedTransport, chatCompletion, drive, bins, endpoint } from './harness.mjs';
const limitHeader = Number(process.argv[2] ?? 60); // argv[3]: reset header, e.g. 60s
const clock = createFakeClock();
const origin = clock.now();
let blipped = false;
const transport = createScriptedTransport({
  a: () => {
    if (!blipped && clock.now() - origin >= 60_000) {
      blipped = true;
      return { status: 429, headers: { 'retry-after': '1', 'x-ratelimit-limit-requests': String(limitHeader), 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': process.argv[3] ?? '1s' },
        body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } } };
    }
    return { body: chatCompletion('ok') };
  },
}, { now: clock.now });
const router = createRouter({ endpoints: [endpoint('a')] }, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
const outcomes = await drive({ clock, router, durationMs: 12 * 60_000, spacingMs: 250, stepMs: 25 });
console.log(`one 429 at 60 s with limit ${limitHeader}; afterwards every answer is a 200 without headers; offered 240 rpm`);
for (const [minute, b] of bins(outcomes, origin, 60_000)) console.log(`min ${String(minute).padStart(2)}: ok ${String(b.ok).padStart(3)} refused ${String(b.fail).padStart(3)} ${JSON.stringify(b.codes)}`);
const snap = router.health?.() ?? router.state?.();
console.log('upstream calls', transport.calls.length);
process.exit(0);
