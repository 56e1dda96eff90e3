// Phase lengths, rates and repetitions for the full run and for --quick. Full fits in about 8 minutes on the
// 2-core machine; quick keeps every subject and workload but one repetition of short phases (about a minute).

const full = {
  mode: 'full',
  repetitions: 4,
  latency: { rates: [200, 1000], durationMs: 4000, warmupMs: 1000, drainMs: 5000 },
  throughput: { connections: 50, durationMs: 4000, warmupMs: 1000 },
  streaming: { rate: 50, durationMs: 3000, warmupMs: 500, drainMs: 5000 },
  failover: { rate: 200, durationMs: 4000, drainMs: 5000 },
  memory: { streams: 1000, holdMs: 3000 },
  cutStreams: { count: 200, concurrency: 10 },
  deadlineMs: 17 * 60_000,
};

const quick = {
  mode: 'quick',
  repetitions: 1,
  latency: { rates: [200, 1000], durationMs: 1500, warmupMs: 300, drainMs: 2000 },
  throughput: { connections: 50, durationMs: 2000, warmupMs: 500 },
  streaming: { rate: 50, durationMs: 1500, warmupMs: 300, drainMs: 2000 },
  failover: { rate: 200, durationMs: 2000, drainMs: 2000 },
  memory: { streams: 200, holdMs: 2000 },
  cutStreams: { count: 60, concurrency: 10 },
  deadlineMs: 3.5 * 60_000,
};

/** What the upstreams do; the same in both modes so quick and full figures mean the same thing. */
export const upstreamSettings = {
  // Pace of stream events: a model emitting a token every 5 ms.
  streamChunkMs: 5,
  // The memory workload's streams: ten events 600 ms apart keep each open about 6 s.
  slowStreamChunkMs: 600,
  failureRate: 0.3,
  retryAfterMs: 1000,
  seed: 7,
};

/**
 * The cut-streams workload's upstreams: 60-token deterministic answers paced like the streaming workload; `cut-main`
 * cuts this share of its streams at a uniformly drawn token (1–59), seeded.
 */
export const cutStreamSettings = { tokens: 60, cutShare: 0.3, seed: 16 };

/** The request body every subject gets (plus `stream: true`, or the `flaky` / `slow-stream` model, per workload). */
export const requestBody = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello in one short sentence.' }] };

/** Settings for `--quick` or the full run. */
export const settingsFor = (quickMode) => (quickMode ? quick : full);
