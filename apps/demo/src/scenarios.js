/**
 * The demo's scenarios. Each declares its default length and rate, the success rate Detour must reach, and a fault
 * timeline for the three upstreams written as fractions of the run, so `--duration 4` still walks through every
 * phase (healthy, throttled, failing, recovered) instead of ending before the first fault.
 *
 * @typedef {import('@detour/testkit').FaultRule} FaultRule
 * @typedef {import('@detour/testkit').LatencyModel} LatencyModel
 *
 * @typedef {object} FaultWindow  A scripted fault, kept for the report's timeline.
 * @property {string} upstream
 * @property {string} label
 * @property {number} fromMs  Start, relative to the run's start.
 * @property {number} toMs
 *
 * @typedef {object} UpstreamPlan
 * @property {string} name
 * @property {number} priority
 * @property {LatencyModel} latency
 * @property {FaultRule[]} script
 *
 * @typedef {object} Scenario
 * @property {string} name
 * @property {string} description
 * @property {number} durationSeconds  Length of each of the three runs.
 * @property {number} rate  Requests per second, scheduled evenly.
 * @property {number} minimumSuccessRate  Detour's success rate below this fails the demo (exit code 1).
 * @property {(durationMs: number) => { upstreams: UpstreamPlan[], windows: FaultWindow[] }} timeline
 */

/** A window `[from, to)` of the run, as fractions of its length. */
const window = (durationMs, from, to) => ({ afterMs: Math.round(durationMs * from), forMs: Math.round(durationMs * (to - from)) });

/** The wait the primary's 429s ask for: long enough to matter, short enough that it recovers inside a short run. */
const retryAfterFor = (durationMs) => Math.min(3000, Math.max(1000, Math.round(durationMs * 0.08)));

// One JSON answer in 25 from the primary is cut mid-body by a connection reset: the provider already did (and
// billed) the work, and the caller gets nothing usable. Streams are left alone on purpose: once a stream's first
// event reaches the caller, no one can fail it over, Detour included, and that is not what this demo measures.
const cutJson = { when: { stream: false, probability: 0.04 }, fault: { type: 'cut-stream', afterChunks: 1, mode: 'reset' } };

const slowButHealthy = { type: 'normal', meanMs: 320, stdDevMs: 80 };

/** @param {number} durationMs */
const stormTimeline = (durationMs) => {
  const throttled = window(durationMs, 0.25, 0.7);
  const failing = window(durationMs, 0.15, 0.5);
  const retryAfterMs = retryAfterFor(durationMs);
  return {
    upstreams: [
      {
        name: 'primary', priority: 0, latency: { type: 'normal', meanMs: 40, stdDevMs: 10 },
        script: [{ when: throttled, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs } }, cutJson],
      },
      {
        name: 'backup', priority: 1, latency: { type: 'normal', meanMs: 70, stdDevMs: 15 },
        script: [
          { when: { ...failing, probability: 0.4 }, fault: { type: 'reset' } },
          { when: failing, fault: { type: 'status', status: 500 } },
        ],
      },
      { name: 'slow', priority: 2, latency: slowButHealthy, script: [] },
    ],
    windows: [
      { upstream: 'primary', label: `429 rate limited (Retry-After ${retryAfterMs / 1000} s)`, fromMs: throttled.afterMs, toMs: throttled.afterMs + throttled.forMs },
      { upstream: 'backup', label: '500s and connection resets', fromMs: failing.afterMs, toMs: failing.afterMs + failing.forMs },
    ],
  };
};

/** @param {number} durationMs */
const outageTimeline = (durationMs) => {
  const down = window(durationMs, 0.2, 0.65);
  const throttled = window(durationMs, 0.35, 0.55);
  const retryAfterMs = retryAfterFor(durationMs);
  return {
    upstreams: [
      {
        name: 'primary', priority: 0, latency: { type: 'normal', meanMs: 40, stdDevMs: 10 },
        script: [{ when: down, fault: { type: 'reset' } }, cutJson],
      },
      {
        name: 'backup', priority: 1, latency: { type: 'normal', meanMs: 70, stdDevMs: 15 },
        script: [{ when: throttled, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs } }],
      },
      { name: 'slow', priority: 2, latency: slowButHealthy, script: [] },
    ],
    windows: [
      { upstream: 'primary', label: 'down: every connection reset', fromMs: down.afterMs, toMs: down.afterMs + down.forMs },
      { upstream: 'backup', label: `429 rate limited (Retry-After ${retryAfterMs / 1000} s)`, fromMs: throttled.afterMs, toMs: throttled.afterMs + throttled.forMs },
    ],
  };
};

/** Every scenario by name; `storm` is the default. @type {Record<string, Scenario>} */
export const scenarios = {
  storm: {
    name: 'storm',
    description: 'the primary starts answering 429 with Retry-After partway through, the backup fails hard (500s, resets) for a while and recovers, a slow third stays healthy',
    durationSeconds: 20,
    rate: 20,
    minimumSuccessRate: 0.99,
    timeline: stormTimeline,
  },
  outage: {
    name: 'outage',
    description: 'the primary goes down (every connection reset) for most of the run while the backup is rate limited for part of it; the slow third carries the gap',
    durationSeconds: 20,
    rate: 20,
    minimumSuccessRate: 0.99,
    timeline: outageTimeline,
  },
  quick: {
    name: 'quick',
    description: 'the storm timeline, compressed into 8-second runs at 15 requests per second',
    durationSeconds: 8,
    rate: 15,
    minimumSuccessRate: 0.99,
    timeline: stormTimeline,
  },
};

/** The scenario `pnpm demo` runs without `--scenario`. */
export const defaultScenarioName = 'storm';
