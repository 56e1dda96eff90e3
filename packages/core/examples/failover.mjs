// A runnable tour of @detour/core with no network and no keys: three scripted endpoints, one throttled, one down.
// Run: pnpm --filter @detour/core example
import { createRouter } from '@detour/core';
import { chatCompletion, createFakeClock, createScriptedTransport } from '@detour/core/testing';

const clock = createFakeClock();
const throttledUntil = clock.now() + 3000;
const transport = createScriptedTransport(
  {
    primary: () =>
      clock.now() < throttledUntil
        ? { status: 429, headers: { 'retry-after': '3', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '3s' },
            body: { error: { message: 'Rate limit reached. Please try again in 3s.', code: 'rate_limit_exceeded' } } }
        : { body: chatCompletion('from primary'), latencyMs: 40 },
    backup: [{ error: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }],
    spare: [{ body: chatCompletion('from spare'), latencyMs: 120 }],
  },
  { now: clock.now, advance: clock.advance },
);

const router = createRouter(
  {
    endpoints: [
      { name: 'primary', baseUrl: 'https://primary.example/v1', apiKey: 'sk-primary', priority: 0 },
      { name: 'backup', baseUrl: 'https://backup.example/v1', apiKey: 'sk-backup', priority: 1 },
      { name: 'spare', baseUrl: 'https://spare.example/v1', apiKey: 'sk-spare', priority: 2 },
    ],
    breaker: { consecutiveFailures: 2, openMs: 2000 },
  },
  { transport, clock, sleep: clock.sleep },
);

const start = clock.now();
router.subscribe((event) => {
  const at = `t=${String(event.at - start).padStart(5)} ms`;
  if (event.type === 'failover') console.log(`${at}  failover ${event.from} → ${event.to} (${event.reason})`);
  if (event.type === 'cooldown-start') console.log(`${at}  ${event.endpoint} cools down for ${event.until - event.at} ms`);
  if (event.type === 'breaker-change') console.log(`${at}  ${event.endpoint} breaker ${event.from} → ${event.to}`);
});

let spent = 0;
for (let index = 0; index < 12; index += 1) {
  const result = await router.send({
    path: '/chat/completions',
    body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Hello' }] }),
  });
  spent += result.costUsd ?? 0;
  console.log(`t=${String(clock.now() - start).padStart(5)} ms  request ${index + 1} served by ${result.endpoint} after ${result.attempts.length} attempt(s)`);
  clock.advance(500);
}
console.log(`\n12 of 12 requests served; ${clock.sleeps.length} sleeps; upstream calls: ${
  ['primary', 'backup', 'spare'].map((name) => `${name} ${transport.callsTo(name).length}`).join(', ')}; spent $${spent.toFixed(6)}`);
