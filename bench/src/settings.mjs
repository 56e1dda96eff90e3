// Phase lengths, rates and repetitions for the full run and for --quick. Full fits in about 13 minutes on the
// 2-core machine; quick keeps every subject and workload but one repetition of short phases (about a minute).

const full = {
  mode: 'full',
  repetitions: 4,
  // Once per subject before anything is measured (workloads/prewarm.mjs): rounds of JSON at full speed, then streams.
  prewarm: { rounds: [{ jsonMs: 3000, streamMs: 3000 }, { jsonMs: 2000, streamMs: 2000 }], connections: 50, streamRate: 200 },
  latency: { rates: [200, 1000], durationMs: 4000, warmupMs: 1000, drainMs: 5000 },
  throughput: { connections: 50, durationMs: 4000, warmupMs: 1000 },
  streaming: { rate: 50, fastRate: 200, durationMs: 3000, warmupMs: 500, drainMs: 5000 },
  failover: { rate: 200, durationMs: 4000, drainMs: 5000 },
  memory: { streams: 1000, holdMs: 3000, repetitions: 3, anatomyRepetitions: 3 },
  cutStreams: { count: 200, concurrency: 10 },
  // Per run: warm-up (counted for upstream 429s, not for goodput or latency) then the measured window, at each load
  // level, for each quota subject, three times (median with min–max) at the levels the goals are judged at and once
  // at `onceLevels`: 5 subjects × (3 + 1 + 3) runs × ~16 s (with process starts) ≈ 10 min.
  quota: { repetitions: 3, onceLevels: [1], levels: [0.8, 1, 1.5], prewarmMs: 1000, warmupMs: 2000, durationMs: 8000, subjects: ['detour-off', 'detour-on', 'portkey', 'fleet-off', 'fleet-on'] },
  // Full runs take 22–23 min on a quiet host (1,293–1,358 s across the committed reports): room for a slow one.
  deadlineMs: 30 * 60_000,
};

const quick = {
  mode: 'quick',
  repetitions: 1,
  prewarm: { rounds: [{ jsonMs: 1000, streamMs: 1000 }, { jsonMs: 500, streamMs: 500 }], connections: 50, streamRate: 200 },
  latency: { rates: [200, 1000], durationMs: 1500, warmupMs: 300, drainMs: 2000 },
  throughput: { connections: 50, durationMs: 2000, warmupMs: 500 },
  streaming: { rate: 50, fastRate: 200, durationMs: 1500, warmupMs: 300, drainMs: 2000 },
  failover: { rate: 200, durationMs: 2000, drainMs: 2000 },
  memory: { streams: 200, holdMs: 2000, repetitions: 1, anatomyRepetitions: 1 },
  cutStreams: { count: 60, concurrency: 10 },
  // Reduced: the overload level only, single gateways, short phases (about 25 s in all).
  quota: { repetitions: 1, levels: [1.5], prewarmMs: 1000, warmupMs: 1500, durationMs: 3000, subjects: ['detour-off', 'detour-on', 'portkey'] },
  deadlineMs: 5 * 60_000,
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

/**
 * The quota workload (issue 17): three upstreams behind the testkit's honest token-bucket limiter, each with its
 * own RPM/TPM and header dialect, starting empty (a key just used up: a full bucket would hold a minute of burst
 * and hide the limit for the whole phase). Capacity of an upstream in requests/s is min(RPM, TPM / mean tokens per
 * request) / 60, mean tokens from the seeded mix of the run; aggregate capacity is their sum.
 */
export const quotaSettings = {
  upstreams: [
    // OpenAI headers (`x-ratelimit-*`, Go-duration resets); balanced RPM/TPM.
    { name: 'alpha', headers: 'openai', rpm: 1200, tpm: 360_000 },
    // IETF `RateLimit` / `RateLimit-Policy` fields, problem+json 429 without Retry-After; request-bound.
    { name: 'beta', headers: 'ietf', rpm: 1800, tpm: 900_000 },
    // OpenAI headers; token-bound (plenty of requests, few tokens).
    { name: 'gamma', headers: 'openai', rpm: 3000, tpm: 300_000 },
  ],
  initialFill: 0,
  // Upstream time to first byte, seeded per upstream.
  latency: { type: 'normal', meanMs: 150, stdDevMs: 30 },
  completionTokens: 16,
  // Prompt sizes (tokens as the testkit counts them: characters / 4), drawn from a seeded generator.
  mix: [
    { name: 'short', share: 0.6, minTokens: 20, maxTokens: 80 },
    { name: 'medium', share: 0.3, minTokens: 200, maxTokens: 600 },
    { name: 'long', share: 0.1, minTokens: 1000, maxTokens: 3000 },
  ],
  priorities: [
    { name: 'high', share: 0.2 },
    { name: 'normal', share: 0.6 },
    { name: 'low', share: 0.2 },
  ],
  // Asked of every request; the testkit answers completionTokens, so an estimate from max_tokens overshoots.
  maxTokens: 64,
  model: 'gpt-4o-mini',
  // Every request's deadline; the client aborts it 250 ms later, so a late answer is seen as late.
  deadlineMs: 5000,
  abortGraceMs: 250,
  // A refusal (429/503) counts as fast when it arrives within this long of the request (refused on arrival), or
  // when the gateway's own counters show it was let go from its queue the moment its plan turned hopeless (see
  // docs/quota.md); its Retry-After (or retry-after-ms) as correct when present and no longer than the truth
  // allows (see maxRetryAfterMs()).
  fastRefusalMs: 250,
  seed: 17,
};

/** The longest any upstream takes to refill one request of the largest size in the mix, in ms. */
export const maxRefillMs = () => {
  const largest = Math.max(...quotaSettings.mix.map((size) => size.maxTokens)) + quotaSettings.completionTokens;
  return Math.max(...quotaSettings.upstreams.map((upstream) => Math.max(60_000 / upstream.rpm, (60_000 * largest) / upstream.tpm)));
};

/**
 * The longest Retry-After counted as correct. A gateway's queue holds only work it plans to admit within the
 * deadline, so quota for a refused request (behind everything queued ahead of it) returns within the deadline plus
 * the slowest refill of the largest request: that in whole seconds rounded up, plus one second of slack. Longer
 * overstates when capacity is there.
 */
export const maxRetryAfterMs = () => 1000 * (Math.ceil((quotaSettings.deadlineMs + maxRefillMs()) / 1000) + 1);

/** Settings for `--quick` or the full run. */
export const settingsFor = (quickMode) => (quickMode ? quick : full);
