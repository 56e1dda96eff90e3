// Open-loop load at a fixed rate: request i is issued at start + i / rate whatever happened to earlier ones, so a
// slow subject faces a growing queue instead of a politely slower client (no coordinated omission). Runs in its own
// process; prints one JSON line of results. Latency is timed with performance.now() from the moment each request is
// handed to undici to the last byte of its body; for streams, also the first body byte and the gaps between chunks.
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { percentile } from '../summary-statistics.mjs';

const spec = JSON.parse(process.argv[2]);
const { origin, path, headers, body, rate, durationMs, warmupMs = 0, stream = false, connections = 128, drainMs = 5000 } = spec;
const pool = new Pool(origin, { connections, keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 });
const payload = Buffer.from(JSON.stringify(body));
const requestHeaders = { 'content-type': 'application/json', ...headers };
// The first non-empty content delta: the first token a user would see.
const contentPattern = /"content":"[^"]/;

const fire = (record) => {
  const startedAt = performance.now();
  const signal = record.abort.signal;
  return pool
    .request({ path, method: 'POST', headers: requestHeaders, body: payload, signal })
    .then(async (response) => {
      record.status = response.statusCode;
      let previousChunkAt;
      for await (const chunk of response.body) {
        const now = performance.now();
        if (previousChunkAt === undefined) record.firstByteMs = now - startedAt;
        else if (stream) record.gaps.push(now - previousChunkAt);
        if (stream && record.firstContentMs === undefined && contentPattern.test(chunk.toString('latin1'))) record.firstContentMs = now - startedAt;
        previousChunkAt = now;
      }
      record.latencyMs = performance.now() - startedAt;
    })
    .catch((error) => {
      record.error = signal.aborted ? 'timeout' : (error.code ?? error.name ?? 'error');
    });
};

/** Issues `count` requests evenly over the period; timers are coarse (~1 ms), so lateness is measured, not hidden. */
const runAt = (count, intervalMs) =>
  new Promise((resolve) => {
    const records = [];
    const pending = [];
    const lateness = [];
    const start = performance.now() + 20;
    let next = 0;
    const pump = () => {
      const now = performance.now();
      while (next < count && start + next * intervalMs <= now) {
        lateness.push(now - (start + next * intervalMs));
        const record = { abort: new AbortController(), gaps: [] };
        records.push(record);
        pending.push(fire(record));
        next += 1;
      }
      if (next < count) setTimeout(pump, Math.max(0, start + next * intervalMs - performance.now() - 0.5));
      else resolve({ records, pending, lateness });
    };
    setTimeout(pump, 20);
  });

/** Waits for outstanding requests for at most `drainMs`, then aborts the rest (counted as timeouts). */
const drain = async ({ records, pending }) => {
  const timer = setTimeout(() => records.forEach((record) => record.abort.abort()), drainMs);
  await Promise.allSettled(pending);
  clearTimeout(timer);
};

const intervalMs = 1000 / rate;
const warmupSent = warmupMs > 0 ? Math.ceil((rate * warmupMs) / 1000) : 0;
if (warmupSent > 0) await drain(await runAt(warmupSent, intervalMs));
const measuredStart = performance.now();
const run = await runAt(Math.round((rate * durationMs) / 1000), intervalMs);
await drain(run);
const elapsedMs = performance.now() - measuredStart;

const { records, lateness } = run;
const done = records.filter((record) => record.latencyMs !== undefined);
const ok = done.filter((record) => record.status >= 200 && record.status < 300);
const statuses = {};
for (const record of records) {
  const key = record.error ?? String(record.status);
  statuses[key] = (statuses[key] ?? 0) + 1;
}
const pick = (values) => ({ p50: percentile(values, 50), p90: percentile(values, 90), p99: percentile(values, 99), max: values.length ? Math.max(...values) : Number.NaN });
const okLatency = ok.map((record) => record.latencyMs);
const result = {
  sent: records.length,
  warmupSent,
  ok: ok.length,
  statuses,
  elapsedMs,
  latencyMs: pick(okLatency),
  schedulerLatenessMs: pick(lateness),
};
if (stream) {
  result.firstByteMs = pick(ok.map((record) => record.firstByteMs));
  result.firstContentMs = pick(ok.filter((record) => record.firstContentMs !== undefined).map((record) => record.firstContentMs));
  result.interChunkMs = pick(ok.flatMap((record) => record.gaps));
  result.chunksPerStream = percentile(ok.map((record) => record.gaps.length + 1), 50);
}
await pool.destroy();
process.stdout.write(`${JSON.stringify(result)}\n`);
