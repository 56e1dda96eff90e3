// Q4: one endpoint, truthful headers on every answer (limit 600 rpm / 150000 tpm, plenty left) except ONE successful
// answer at 60 s whose headers say argv[2]: "tokens" -> x-ratelimit-remaining-tokens: 0, reset-tokens: 24h (limit 150000)
// or "requests" -> remaining-requests: 0, reset-requests: 24h (limit 600). Requests ~1000 prompt tokens, max_tokens 1000.
// Offered 1 rps. How long is the endpoint held?
import { createRouter, createFakeClock, drive, bins, endpoint, delayedTransport, chat } from './harness.mjs';
const dim = process.argv[2] ?? 'tokens';
const clock = createFakeClock();
const origin = clock.now();
let bad = false;
const good = { 'x-ratelimit-limit-requests': '600', 'x-ratelimit-remaining-requests': '590', 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-limit-tokens': '150000', 'x-ratelimit-remaining-tokens': '140000', 'x-ratelimit-reset-tokens': '4s' };
const transport = delayedTransport(clock, () => {
  if (!bad && clock.now() - origin >= 60_000) {
    bad = true;
    return { latencyMs: 50, headers: dim === 'tokens'
      ? { ...good, 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '24h' }
      : { ...good, 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '24h' } };
  }
  return { latencyMs: 50, headers: good };
});
const router = createRouter({ endpoints: [endpoint('a')] }, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
const prompt = 'x'.repeat(4000);
const outcomes = await drive({ clock, router, durationMs: 40 * 60_000, spacingMs: 1000, stepMs: 100, request: () => chat({ messages: [{ role: 'user', content: prompt }], max_tokens: 1000 }) });
const calls = transport.calls.map((c) => (c.at - origin) / 1000);
const after = calls.filter((t) => t > 60.1);
console.log(`dim=${dim}: bad reading at 60 s; next upstream call at ${after[0]} s (held ${(after[0] - 60).toFixed(0)} s)`);
for (const [bin, b] of bins(outcomes, origin, 5 * 60_000)) console.log(`t ${bin * 5} min: ok ${b.ok} fail ${b.fail} ${JSON.stringify(b.codes)}`);
process.exit(0);
