#!/usr/bin/env node
// node bench/src/tier-preference.mjs [--seconds 30] [--rate 10]: the preferWaitMs trade-off, measured. Two testkit
// upstreams serve the public model `assistant`: `cheap` (priority 0, as gpt-4.1-mini) throttles a seeded 10 % of
// requests with OpenAI's 429 and Retry-After: 1 s; `dear` (priority 1, as gpt-4.1) is always healthy. The same
// open-loop load goes through the Detour gateway with `preferWaitMs: 0` (the default) and with `preferWaitMs: 3000`;
// the report gives, for each, the share served per tier, latency percentiles and the cost Detour priced
// (`x-detour-cost-usd`, from its price table). Prints a markdown table. Needs `pnpm build` first.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startChaosUpstream } from '@detour/testkit';
import { killChildrenOnExit } from './child-processes.mjs';
import { keys, startDetourGateway } from './subjects.mjs';
import { percentile } from './summary-statistics.mjs';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '30' }, rate: { type: 'string', default: '10' } } });
const seconds = Number(values.seconds);
const rate = Number(values.rate);
killChildrenOnExit();

const throttle = [{ when: { probability: 0.1 }, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 1000 } }];
const cheap = await startChaosUpstream({ name: 'cheap', seed: 16, completionTokens: 200, script: throttle, recordLimit: 16 });
const dear = await startChaosUpstream({ name: 'dear', seed: 17, completionTokens: 200, recordLimit: 16 });

const configFor = (preferWaitMs) => ({
  endpoints: [
    { name: 'cheap', baseUrl: cheap.baseUrl, apiKey: keys.main, priority: 0, models: { assistant: 'gpt-4.1-mini' } },
    { name: 'dear', baseUrl: dear.baseUrl, apiKey: keys.backup, priority: 1, models: { assistant: 'gpt-4.1' } },
  ],
  gatewayKeys: [keys.gateway],
  router: { preferWaitMs },
  shutdownGraceMs: 2000,
});

const body = JSON.stringify({ model: 'assistant', messages: [{ role: 'user', content: 'Summarise the quarterly report in two paragraphs.' }] });

/** Open loop: request i leaves at start + i / rate whatever happened to the earlier ones. */
const runLoad = async (origin) => {
  const total = Math.round(seconds * rate);
  const results = [];
  const started = performance.now();
  const pending = [];
  for (let index = 0; index < total; index += 1) {
    const due = started + (index * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(
      (async () => {
        const sent = performance.now();
        const response = await fetch(`${origin}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.gateway}` },
          body,
        });
        await response.arrayBuffer();
        results.push({
          ok: response.ok,
          ms: performance.now() - sent,
          endpoint: response.headers.get('x-detour-endpoint'),
          attempts: Number(response.headers.get('x-detour-attempts') ?? 0),
          costUsd: Number(response.headers.get('x-detour-cost-usd') ?? 0),
        });
      })(),
    );
  }
  await Promise.all(pending);
  return results;
};

const rows = [];
for (const preferWaitMs of [0, 1000, 3000]) {
  cheap.setScript(throttle);
  dear.setScript([]);
  cheap.resetStats();
  dear.resetStats();
  const gateway = await startDetourGateway(configFor(preferWaitMs), 1, `tier-preference-${preferWaitMs}.json`);
  const results = await runLoad(gateway.origin);
  await gateway.stop();
  const ms = results.map((result) => result.ms);
  const ok = results.filter((result) => result.ok);
  const onCheap = ok.filter((result) => result.endpoint === 'cheap').length;
  const cost = ok.reduce((sum, result) => sum + result.costUsd, 0);
  rows.push({
    preferWaitMs,
    requests: results.length,
    ok: ok.length,
    onCheap,
    onDear: ok.length - onCheap,
    throttled: cheap.stats().byOutcome['rate-limit'] ?? 0,
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    p99: percentile(ms, 99),
    max: Math.max(...ms),
    costPer1k: (1000 * cost) / ok.length,
  });
  process.stderr.write(`preferWaitMs ${preferWaitMs}: done\n`);
}
await cheap.close();
await dear.close();

const pct = (part, whole) => `${((100 * part) / whole).toFixed(1)} %`;
const lines = [
  `Tier preference, measured: ${seconds} s at ${rate} req/s (open loop), tier 0 \`cheap\` (gpt-4.1-mini prices) throttling a seeded 10 % of requests with 429 + Retry-After: 1 s, tier 1 \`dear\` (gpt-4.1 prices) healthy; 200 completion tokens per answer.`,
  '',
  '| preferWaitMs | served by tier 0 | served by tier 1 | 429s at tier 0 | p50, ms | p95, ms | p99, ms | max, ms | cost per 1,000 requests, USD |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows.map((row) => `| ${row.preferWaitMs} | ${pct(row.onCheap, row.ok)} | ${pct(row.onDear, row.ok)} | ${row.throttled} | ${row.p50.toFixed(1)} | ${row.p95.toFixed(1)} | ${row.p99.toFixed(1)} | ${row.max.toFixed(0)} | ${row.costPer1k.toFixed(4)} |`),
  '',
  `Answered: ${rows.map((row) => `${row.ok}/${row.requests}`).join(', ')}.`,
];
process.stdout.write(`${lines.join('\n')}\n`);
process.exit(0);
