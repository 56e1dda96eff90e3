// Q5: truthful 60 rpm headers. A storm of 50 rps for 20 s (1000 requests, mostly refused / queued), then silence for
// 65 s (the provider's bucket refills), then 0.5 rps (30 rpm, under the limit) for 5 min. Any refusal after the storm?
import { createRouter, createFakeClock, createScriptedTransport, chatCompletion, bins, endpoint, providerBucket, chat, DetourError } from './harness.mjs';
const clock = createFakeClock();
const origin = clock.now();
const bucket = providerBucket(clock, 60);
const transport = createScriptedTransport({
  a: () => {
    const r = bucket.take();
    const h = { 'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': String(r.remaining), 'x-ratelimit-reset-requests': `${(r.resetMs / 1000).toFixed(3)}s` };
    if (!r.ok) return { status: 429, headers: { ...h, 'retry-after': String(Math.ceil(r.resetMs / 1000)) }, body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } } };
    return { body: chatCompletion('ok'), headers: h };
  },
}, { now: clock.now });
const router = createRouter({ endpoints: [endpoint('a')] }, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
const ticks = async () => { for (let i = 0; i < 30; i += 1) await Promise.resolve(); };
const outcomes = []; const pending = [];
const fire = () => { const t0 = clock.now(); pending.push(router.send(chat()).then(() => outcomes.push({ start: t0, ok: true }), (e) => outcomes.push({ start: t0, ok: false, code: e.code }))); };
for (let t = 0; t < 20_000; t += 20) { fire(); await ticks(); clock.advance(20); await ticks(); }
for (let t = 0; t < 65_000; t += 50) { clock.advance(50); await ticks(); }
const quietAt = clock.now();
for (let t = 0; t < 300_000; t += 50) { if (t % 2000 === 0) fire(); await ticks(); clock.advance(50); await ticks(); }
for (let t = 0; t < 30_000; t += 50) { clock.advance(50); await ticks(); }
await Promise.all(pending);
const storm = outcomes.filter((o) => o.start < quietAt); const after = outcomes.filter((o) => o.start >= quietAt);
console.log(`storm: ok ${storm.filter((o) => o.ok).length} refused ${storm.filter((o) => !o.ok).length}; after (30 rpm): ok ${after.filter((o) => o.ok).length} refused ${after.filter((o) => !o.ok).length} ${JSON.stringify(after.filter((o) => !o.ok).map((o) => o.code))}`);
console.log('admission now:', JSON.stringify(router.admission()));
process.exit(0);
