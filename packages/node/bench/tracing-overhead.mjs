// Per-request cost of tracing in the router, with the upstream taken out: `node bench/tracing-overhead.mjs`
// (after `pnpm build`; run it under `flock /work/bench.lock`). A fake in-process transport answers every attempt
// at once, so what is left is the engine, and tracing's share of it. Subjects alternate round by round (A, B, C, D,
// A, B…) and the report gives each one's median over the rounds, with min–max.
//   absent      tracer: false (as if @opentelemetry/api were not installed)
//   no-provider @opentelemetry/api found, no provider registered (one non-recording span per request)
//   unsampled   a provider whose sampler drops every trace (AlwaysOffSampler)
//   recording   a provider recording every span into a BatchSpanProcessor whose exporter discards them
import * as api from '@opentelemetry/api';
import { AlwaysOffSampler, BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createRouter, openTelemetryTracer } from '../dist/index.js';

const requests = Number(process.env.REQUESTS ?? 20_000);
const rounds = Number(process.env.ROUNDS ?? 5);
const encoder = new TextEncoder();
const answer = encoder.encode(JSON.stringify({
  id: 'x', object: 'chat.completion', created: 1, model: 'gpt-4.1',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
}));
// The primary throttles every call with `retry-after-ms: 0` (no cooldown), so every request fails over: two attempts.
let calls = 0;
const transport = async (request) => {
  calls += 1;
  const throttled = request.endpoint === 'primary';
  const body = throttled ? encoder.encode('{"error":{"message":"slow down","type":"requests"}}') : answer;
  return { status: throttled ? 429 : 200, headers: throttled ? { 'content-type': 'application/json', 'retry-after-ms': '0' } : { 'content-type': 'application/json' }, body: (async function* () { yield body; })(), cancel() {} };
};
const options = {
  endpoints: [
    { name: 'primary', baseUrl: 'https://primary.example/v1', apiKey: 'sk-a' },
    { name: 'backup', baseUrl: 'https://backup.example/v1', apiKey: 'sk-b' },
  ],
};

const discarding = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => undefined };
const providerApi = (provider) => ({ trace: { getTracer: (name, version) => provider.getTracer(name, version), setSpan: api.trace.setSpan }, context: api.context });
const unsampled = new BasicTracerProvider({ sampler: new AlwaysOffSampler() });
const recording = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(discarding, { maxQueueSize: 65_536, maxExportBatchSize: 4096 })] });

const subjects = {
  absent: () => createRouter(options, { transport, tracer: false }),
  'no-provider': () => createRouter(options, { transport }),
  unsampled: () => createRouter(options, { transport, tracer: openTelemetryTracer(providerApi(unsampled)) }),
  recording: () => createRouter(options, { transport, tracer: openTelemetryTracer(providerApi(recording)) }),
};

const body = JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hello' }] });
const attempts = {};
const run = async (router, name) => {
  const before = calls;
  const started = process.hrtime.bigint();
  for (let index = 0; index < requests; index += 1) {
    await router.send({ path: '/chat/completions', headers: { 'content-type': 'application/json' }, body });
  }
  const micros = Number(process.hrtime.bigint() - started) / requests / 1000; // µs per request
  if (name) attempts[name] = (attempts[name] ?? 0) + (calls - before);
  return micros;
};

const results = Object.fromEntries(Object.keys(subjects).map((name) => [name, []]));
const routers = Object.fromEntries(Object.entries(subjects).map(([name, make]) => [name, make()]));
for (const router of Object.values(routers)) await run(router); // warm-up
for (let round = 0; round < rounds; round += 1) {
  for (const [name, router] of Object.entries(routers)) results[name].push(await run(router, name));
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const base = median(results.absent);
console.log(`router.send, fake transport, ${requests} requests × ${rounds} rounds (every request fails over: two attempts): µs per request`);
for (const [name, values] of Object.entries(results)) {
  const m = median(values);
  console.log(`${name.padEnd(12)} median ${m.toFixed(2)} µs (min ${Math.min(...values).toFixed(2)}, max ${Math.max(...values).toFixed(2)}); ${((m / base - 1) * 100).toFixed(1)} % vs absent; ${(attempts[name] / requests / rounds).toFixed(2)} attempts per request`);
}
await Promise.all(Object.values(routers).map((router) => router.close()));
await recording.shutdown();
