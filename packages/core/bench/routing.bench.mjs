// Microbenchmark: nanoseconds per routing decision and per outcome update, and a whole routed call over a no-op
// transport, beside cockatiel's retry + circuit breaker wrapped around the same no-op call, in the same run.
// Run: pnpm --filter @detour/core bench   (builds first through turbo)
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { circuitBreaker, ConsecutiveBreaker, ExponentialBackoff, handleAll, retry, wrap } from 'cockatiel';
import {
  admitThroughBreaker, classifyResponse, createMemoryStore, createRouter, createSelectionState, isAvailable,
  recordBreakerResult, recordLatency, routerOptionsSchema, selectEndpoint,
} from './.internals.mjs';

const options = routerOptionsSchema.parse({
  endpoints: [
    { name: 'a', baseUrl: 'https://a.example/v1', weight: 5 },
    { name: 'b', baseUrl: 'https://b.example/v1' },
    { name: 'c', baseUrl: 'https://c.example/v1', priority: 1 },
  ],
});
const candidates = options.endpoints.map((endpoint) => ({ name: endpoint.name, priority: endpoint.priority, weight: endpoint.weight }));
const store = createMemoryStore();
const selection = createSelectionState();
const random = () => 0.42;
let now = 1_700_000_000_000;

/** One routing decision: read each endpoint's state, keep the available ones, pick by tier and weight. */
const decide = () => {
  const pool = [];
  for (const candidate of candidates) {
    if (isAvailable(store.read(candidate.name), 'gpt-4.1', now, options.breaker)) pool.push(candidate);
  }
  return selectEndpoint(pool, { strategy: 'weighted', state: selection, now, random, latency: options.latency });
};

const okHeaders = {
  'content-type': 'application/json', 'x-ratelimit-limit-requests': '10000', 'x-ratelimit-remaining-requests': '9999',
  'x-ratelimit-reset-requests': '6ms', 'x-ratelimit-limit-tokens': '30000000', 'x-ratelimit-remaining-tokens': '29999990',
  'x-ratelimit-reset-tokens': '0s', date: new Date(now).toUTCString(),
};
let breaker = store.read('a').breaker;
/** One outcome update: classify a 200 with OpenAI's headers, record it in the breaker and the latency estimate. */
const update = () => {
  const outcome = classifyResponse({ status: 200, headers: okHeaders, nowMs: now });
  const admission = admitThroughBreaker(breaker, now, options.breaker);
  breaker = recordBreakerResult(admission.state, { outcome: outcome.breaker, generation: admission.generation, probe: admission.probe, now }, options.breaker);
  recordLatency(selection.latency, 'a', { rttMs: 120, failed: false, now }, options.latency);
};

const answer = new TextEncoder().encode('{"id":"x","usage":{"prompt_tokens":10,"completion_tokens":5}}');
const body = { async *[Symbol.asyncIterator]() { yield answer; } };
const noopTransport = async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body, cancel() {} });
const router = createRouter(
  { endpoints: options.endpoints.map(({ name, baseUrl }) => ({ name, baseUrl })) },
  { transport: noopTransport, clock: { now: () => now, schedule: () => 0, cancel: () => undefined } },
);
const request = { path: '/chat/completions', body: '{"model":"gpt-4.1","messages":[]}' };
const routed = () => router.send(request);

const policy = wrap(
  retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() }),
  circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) }),
);
const noop = async () => undefined;
const cockatiel = () => policy.execute(noop);

const measureSync = (run, iterations) => {
  const start = performance.now();
  for (let index = 0; index < iterations; index += 1) {
    now += 1;
    run();
  }
  return ((performance.now() - start) * 1e6) / iterations;
};
const measureAsync = async (run, iterations) => {
  const start = performance.now();
  for (let index = 0; index < iterations; index += 1) {
    now += 1;
    await run();
  }
  return ((performance.now() - start) * 1e6) / iterations;
};
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const rounds = 7;
const results = { decision: [], update: [], routed: [], cockatiel: [] };
measureSync(decide, 200_000);
measureSync(update, 200_000);
await measureAsync(routed, 50_000);
await measureAsync(cockatiel, 50_000);
for (let round = 0; round < rounds; round += 1) {
  results.decision.push(measureSync(decide, 500_000));
  results.update.push(measureSync(update, 200_000));
  // Alternate the async subjects so drift hits both alike.
  results.routed.push(await measureAsync(routed, 100_000));
  results.cockatiel.push(await measureAsync(cockatiel, 100_000));
}

const row = (name, values) =>
  `| ${name} | ${median(values).toFixed(0)} | ${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)} |`;
console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, ${rounds} rounds, median (min–max) ns per operation\n`);
console.log('| operation | ns (median) | ns (min–max) |');
console.log('|---|---|---|');
console.log(row('routing decision (3 endpoints, 2 tiers, weighted)', results.decision));
console.log(row('outcome update (classify 200 + breaker + latency)', results.update));
console.log(row('router.send over a no-op transport (whole attempt loop)', results.routed));
console.log(row('cockatiel 3.2.1 retry + breaker around a no-op call', results.cockatiel));
const decision = median(results.decision);
const cockatielNs = median(results.cockatiel);
console.log(`\ndecision ${decision < 1000 ? 'meets' : 'misses'} the 1 µs goal; decision is ${(cockatielNs / decision).toFixed(1)}× faster than cockatiel's policy call; whole send is ${(median(results.routed) / cockatielNs).toFixed(2)}× cockatiel's time`);
