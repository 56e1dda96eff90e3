// Closed-loop throughput at a fixed concurrency with autocannon 9.0.0, in its own process: a warm-up run, then the
// measured run. autocannon's latencies are whole milliseconds, so the report takes only requests/s from here;
// latency comes from the open-loop generator.
import autocannon from 'autocannon';

const { origin, path, headers, body, connections, durationMs, warmupMs } = JSON.parse(process.argv[2]);
const request = {
  url: `${origin}${path}`,
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
  connections,
  pipelining: 1,
};
const warmup = warmupMs > 0 ? await autocannon({ ...request, duration: warmupMs / 1000 }) : undefined;
const result = await autocannon({ ...request, duration: durationMs / 1000 });
process.stdout.write(
  `${JSON.stringify({
    requestsPerSecond: result.requests.total / (durationMs / 1000),
    total: result.requests.total,
    warmupTotal: warmup?.requests.total ?? 0,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
  })}\n`,
);
