// D5: OpenAI requests-per-day limits are per model. gpt-4o-mini's RPD is spent (a batch job); gpt-4.1 has plenty.
// One gpt-4o-mini request at 10 s gets OpenAI's RPD 429 ("... on requests per day (RPD) ... Please try again in 2h30m0s").
// gpt-4.1 traffic 1 rps. Is gpt-4.1 refused for 2.5 h?
import { createRouter, createFakeClock, drive, bins, endpoint, delayedTransport, chat } from './harness.mjs';
const clock = createFakeClock();
const origin = clock.now();
const transport = delayedTransport(clock, (name, request) => {
  if (new TextDecoder().decode(request.body).includes('gpt-4o-mini')) return { status: 429, latencyMs: 20, headers: { 'x-ratelimit-limit-requests': '10000', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '2h30m0s' },
    body: { error: { message: 'Rate limit reached for gpt-4o-mini in organization org-abc on requests per day (RPD): Limit 10000, Used 10000, Requested 1. Please try again in 2h30m0s. Visit https://platform.openai.com/account/rate-limits to learn more.', type: 'requests', param: null, code: 'rate_limit_exceeded' } } };
  return { latencyMs: 50 };
});
const router = createRouter({ endpoints: [endpoint('openai', { provider: 'openai' })] }, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
let sent = false;
const outcomes = await drive({ clock, router, durationMs: 3 * 3600_000, spacingMs: 2000, stepMs: 500, request: () => {
  if (!sent && clock.now() - origin >= 10_000) { sent = true; return chat({ model: 'gpt-4o-mini' }); }
  return chat({ model: 'gpt-4.1' });
} });
const h = await router.health();
console.log('one gpt-4o-mini RPD 429 at 10 s; gpt-4.1 at 0.5 rps');
for (const [bin, b] of bins(outcomes, origin, 30 * 60_000)) console.log(`t ${bin * 30} min: ok ${b.ok} fail ${b.fail} ${JSON.stringify(b.codes)}`);
const calls = transport.calls.map((c) => (c.at - origin) / 1000); console.log('first upstream call after 10.1 s:', calls.find((t) => t > 10.1), 's');
process.exit(0);
