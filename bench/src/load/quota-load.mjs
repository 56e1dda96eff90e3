// Open-loop load for the quota workload: request i is issued at start + i / rate whatever happened to earlier ones,
// with a seeded mix of prompt sizes and priority classes, each request bounded by its deadline (the client aborts it
// shortly after, so an answer past the deadline is seen as late rather than waited for). With several targets (a
// fleet of gateways) requests alternate between them. Runs in its own process; prints one JSON line with one compact
// record per request, summarised by the bench (src/workloads/quota.mjs).
import { performance } from 'node:perf_hooks';
import { createSeededRandom } from '@detour/testkit';
import { Pool } from 'undici';

const spec = JSON.parse(process.argv[2]);
const { targets, rate, warmupMs, durationMs, deadlineMs, abortAfterMs, seed, mix, priorities, maxTokens, model, waitHeader } = spec;

const pools = targets.map((target) => new Pool(target.origin, { connections: 1024, keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 }));
const random = createSeededRandom(seed);
const sentence = 'The quick brown fox jumps over the lazy dog while the model thinks. ';

/** A prompt of about `tokens` tokens as the testkit counts them (characters / 4). */
const promptOf = (tokens) => sentence.repeat(Math.ceil((tokens * 4) / sentence.length)).slice(0, tokens * 4);

const pick = (weighted) => {
  let draw = random() * weighted.reduce((sum, entry) => sum + entry.share, 0);
  for (const entry of weighted) {
    draw -= entry.share;
    if (draw < 0) return entry;
  }
  return weighted[weighted.length - 1];
};

/** The whole schedule, drawn up front from the seed: the same requests in the same order for every subject. */
const total = Math.round((rate * (warmupMs + durationMs)) / 1000);
const plan = [];
for (let index = 0; index < total; index += 1) {
  const size = pick(mix);
  const promptTokens = Math.round(size.minTokens + random() * (size.maxTokens - size.minTokens));
  const priority = pick(priorities).name;
  plan.push({ promptTokens, priority });
}
// Bodies are built once per distinct size so the generator spends its time sending, not concatenating.
const bodies = new Map();
const bodyOf = (promptTokens) => {
  let body = bodies.get(promptTokens);
  if (body === undefined) {
    body = Buffer.from(JSON.stringify({ model, max_tokens: maxTokens, messages: [{ role: 'user', content: promptOf(promptTokens) }] }));
    bodies.set(promptTokens, body);
  }
  return body;
};

/** Milliseconds from `retry-after-ms`, else `retry-after` (seconds or an HTTP date). */
const retryAfterOf = (headers) => {
  const ms = Number(headers['retry-after-ms']);
  if (headers['retry-after-ms'] !== undefined && Number.isFinite(ms)) return ms;
  const value = headers['retry-after'];
  if (value === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
};

const fire = (index, record) => {
  const { promptTokens, priority } = plan[index];
  const target = targets[index % targets.length];
  const pool = pools[index % targets.length];
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), abortAfterMs);
  const startedAt = performance.now();
  const headers = { 'content-type': 'application/json', ...target.headers, 'x-detour-priority': priority };
  return pool
    .request({ path: target.path, method: 'POST', headers, body: bodyOf(promptTokens), signal: abort.signal })
    .then(async (response) => {
      record.status = response.statusCode;
      const text = await response.body.text();
      record.latencyMs = performance.now() - startedAt;
      const h = response.headers;
      const processing = Number(h['openai-processing-ms']);
      if (Number.isFinite(processing)) record.upstreamMs = processing;
      if (waitHeader && h[waitHeader] !== undefined && Number.isFinite(Number(h[waitHeader]))) record.queueMs = Number(h[waitHeader]);
      if (record.status >= 200 && record.status < 300) {
        try {
          const body = JSON.parse(text);
          record.usage = body.usage?.total_tokens;
          record.servedBy = /Hello from ([\w-]+)\./.exec(body.choices?.[0]?.message?.content ?? '')?.[1];
        } catch {
          record.malformed = true;
        }
      } else {
        record.retryAfterMs = retryAfterOf(h);
        record.code = h['x-detour-error'];
      }
    })
    .catch((error) => {
      record.latencyMs = performance.now() - startedAt;
      record.error = abort.signal.aborted ? 'deadline' : (error.code ?? error.name ?? 'error');
    })
    .finally(() => clearTimeout(timer));
};

const records = [];
const pending = [];
const lateness = [];
const start = performance.now() + 50;
let next = 0;
await new Promise((resolve) => {
  const pump = () => {
    const now = performance.now();
    while (next < total && start + (next * 1000) / rate <= now) {
      const scheduledMs = (next * 1000) / rate;
      lateness.push(now - start - scheduledMs);
      const record = { i: next, at: scheduledMs, measured: scheduledMs >= warmupMs, priority: plan[next].priority, promptTokens: plan[next].promptTokens };
      records.push(record);
      pending.push(fire(next, record));
      next += 1;
    }
    if (next < total) setTimeout(pump, Math.max(0, start + (next * 1000) / rate - performance.now() - 0.5));
    else resolve();
  };
  setTimeout(pump, 50);
});
// Every request carries its own abort timer, so this settles within abortAfterMs of the last send.
await Promise.allSettled(pending);
const elapsedMs = performance.now() - start;
await Promise.allSettled(pools.map((pool) => pool.destroy()));

lateness.sort((a, b) => a - b);
const latenessP99 = lateness[Math.min(lateness.length - 1, Math.floor(lateness.length * 0.99))] ?? 0;
process.stdout.write(`${JSON.stringify({ total, rate, deadlineMs, elapsedMs, schedulerLatenessP99Ms: latenessP99, records })}\n`);
