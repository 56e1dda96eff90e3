// Q6: the flip side of Q4. The provider really is spent for a day from 60 s on: the answer that spent it says
// remaining 0 / reset 24h, and every request after gets a 429 with the same headers and OpenAI's "try again in" text.
// argv[2]: endpoints (1: alone; 2: a backup that is always fine). How many 429s does the spent one draw in 40 min?
import { createRouter, createFakeClock, drive, bins, endpoint, delayedTransport, chat } from './harness.mjs';
const dim = process.argv[3] ?? 'tokens';
const count = Number(process.argv[2] ?? 1);
const clock = createFakeClock();
const origin = clock.now();
const good = { 'x-ratelimit-limit-requests': '600', 'x-ratelimit-remaining-requests': '590', 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-limit-tokens': '150000', 'x-ratelimit-remaining-tokens': '140000', 'x-ratelimit-reset-tokens': '4s' };
const spentAt = origin + 60_000;
const spent = () => {
  const left = Math.max(0, Math.round((spentAt + 86_400_000 - clock.now()) / 1000));
  return dim === 'tokens'
    ? { ...good, 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': `${left}s` }
    : { ...good, 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': `${left}s` };
};
let first = true;
let refused = 0;
const transport = delayedTransport(clock, (name) => {
  if (name === 'b' || clock.now() < spentAt) return { latencyMs: 50, headers: good };
  if (first) { first = false; return { latencyMs: 50, headers: spent() }; }
  refused += 1;
  return { latencyMs: 20, status: 429, headers: spent(), body: { error: { message: `Rate limit reached for gpt-4.1 on ${dim} per day: Limit 150000, Used 150000. Please try again in 23h59m.`, type: dim, code: 'rate_limit_exceeded' } } };
});
const endpoints = count === 1 ? [endpoint('a')] : [endpoint('a', { priority: 0 }), endpoint('b', { priority: 1 })];
const router = createRouter({ endpoints }, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
const outcomes = await drive({ clock, router, durationMs: 40 * 60_000, spacingMs: 1000, stepMs: 100, request: () => chat({ messages: [{ role: 'user', content: 'x'.repeat(4000) }], max_tokens: 1000 }) });
console.log(`endpoints=${count} dim=${dim}: 429s drawn after the spending answer: ${refused}; calls to a: ${transport.calls.filter((c) => c.endpoint === 'a').length}`);
for (const [bin, b] of bins(outcomes, origin, 10 * 60_000)) console.log(`t ${bin * 10} min: ok ${b.ok} fail ${b.fail} ${JSON.stringify(b.codes)} ${JSON.stringify(b.endpoints)}`);
process.exit(0);
