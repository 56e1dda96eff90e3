// Q1: provider had 60 rpm and sent x-ratelimit-* headers; at t=5 min its limit is lifted (600 rpm) AND it stops
// sending rate-limit headers (limit removed / header-stripping proxy). Offered load: 4 rps (240 rpm), one endpoint.
// Question: does admission ever stop holding the endpoint to the stale 60 rpm belief?
import { createRouter, createFakeClock, createScriptedTransport, chatCompletion, drive, bins, endpoint, providerBucket } from './harness.mjs';
const variant = process.argv[2] ?? 'stop';
const clock = createFakeClock();
const origin = clock.now();
const bucket = providerBucket(clock, 60);
let headers = true;
let switched = false;
let upstreamCalls = 0;
const transport = createScriptedTransport({
  a: () => {
    upstreamCalls += 1;
    const r = bucket.take();
    const h = headers ? { 'x-ratelimit-limit-requests': String(bucket.limit), 'x-ratelimit-remaining-requests': String(r.remaining), 'x-ratelimit-reset-requests': `${(r.resetMs / 1000).toFixed(3)}s` } : {};
    if (!r.ok) return { status: 429, headers: { ...h, 'retry-after': String(Math.ceil(r.resetMs / 1000)) }, body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } } };
    return { body: chatCompletion('ok'), headers: h };
  },
}, { now: clock.now });
const router = createRouter({ endpoints: [endpoint('a')] }, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
const outcomes = await drive({
  clock, router, durationMs: 15 * 60_000, spacingMs: 250, stepMs: 25,
  onTick: (now) => {
    if (now - origin >= 5 * 60_000 && !switched) {
      switched = true;
      bucket.setLimit(600);
      headers = variant === 'raise';
    }
  },
});
console.log(`variant=${variant}: limit 60 rpm until 5 min, then 600 rpm with headers ${variant === 'raise' ? 'still sent' : 'no longer sent'}; offered 240 rpm`);
for (const [minute, b] of bins(outcomes, origin, 60_000)) console.log(`min ${String(minute).padStart(2)}: ok ${String(b.ok).padStart(3)} refused ${String(b.fail).padStart(3)} ${JSON.stringify(b.codes)}`);
console.log('upstream calls', upstreamCalls);
process.exit(0);
