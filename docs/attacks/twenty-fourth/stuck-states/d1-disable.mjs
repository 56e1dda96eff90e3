// D1: one endpoint (or argv[2]=two: a primary + backup tier). At t=10 s ONE answer is argv[3] (insufficient_quota 429 |
// 401 | 403); everything after is healthy (operator topped up / auth blip over). Offered 1 rps for 2 h.
// Measures: how long the endpoint takes no traffic, and how refused requests look.
import { createRouter, createFakeClock, drive, bins, endpoint, delayedTransport, DetourError } from './harness.mjs';
const topo = process.argv[2] ?? 'one';
const kind = process.argv[3] ?? 'quota';
const clock = createFakeClock();
const origin = clock.now();
let fired = false;
const bad = {
  quota: { status: 429, body: { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', code: 'insufficient_quota' } } },
  401: { status: 401, body: { error: { message: 'Incorrect API key provided', code: 'invalid_api_key' } } },
  403: { status: 403, body: { error: { message: 'forbidden' } } },
}[kind];
const transport = delayedTransport(clock, (name) => {
  if (name === 'a' && !fired && clock.now() - origin >= 10_000) { fired = true; return { ...bad, latencyMs: 20 }; }
  return { latencyMs: 50 };
});
const endpoints = topo === 'two' ? [endpoint('a', { priority: 0 }), endpoint('b', { priority: 1 })] : [endpoint('a')];
const router = createRouter({ endpoints }, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
let sample;
const outcomes = await drive({ clock, router, durationMs: 2 * 3600_000, spacingMs: 1000, stepMs: 200 });
const callsA = transport.calls.filter((c) => c.endpoint === 'a').map((c) => (c.at - origin) / 1000);
const after = callsA.filter((t) => t > 10.1);
console.log(`topology=${topo} kind=${kind}: single bad answer at 10 s, healthy after`);
console.log('first call to a after the bad answer at', after[0], 's');
for (const [bin, b] of bins(outcomes, origin, 15 * 60_000)) console.log(`t ${bin * 15} min: ok ${b.ok} fail ${b.fail} ${JSON.stringify(b.endpoints)} ${JSON.stringify(b.codes)}`);
try { await router.send({ path: '/chat/completions', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [] }) }); } catch (e) { console.log('a refusal now:', e.code, e.retryAfterMs ?? e.retryAfter, e.message.slice(0, 200)); }
process.exit(0);
