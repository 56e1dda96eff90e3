import { percentile } from './percentile.js';

/**
 * @typedef {import('@detour/core').RouterEvent & { source: string, t: number }} RecordedEvent
 *   A router event, tagged with the Detour client that emitted it (`gateway` or `fetch`) and its time `t` in ms
 *   since the run started.
 *
 * @typedef {object} RunRecord  Everything one run (Detour or naive) saw, for the live view, summary and report.
 * @property {string} label
 * @property {number} startedAt  Date.now() at the first request.
 * @property {number} durationMs  Planned length of the sending phase.
 * @property {number} planned  Requests the run will send.
 * @property {number} sent
 * @property {import('./send-chat.js').ChatSample[]} samples  Answered or failed requests, in completion order.
 * @property {RecordedEvent[]} events  Breaker changes, cooldowns, failovers and cost records.
 * @property {number} spentUsd  Billed so far, failed attempts included.
 * @property {number} wastedUsd  The part of `spentUsd` that bought nothing the caller could use.
 * @property {number} upstreamAttempts  Requests the upstreams received (filled in when the run ends).
 * @property {Record<string, number>} upstreamOutcomes  What the upstreams answered, by outcome and upstream.
 */

const kept = new Set(['breaker-change', 'cooldown-start', 'failover', 'cost-record']);

/**
 * Starts an empty record.
 *
 * @param {{ label: string, durationMs: number, planned: number }} options
 * @returns {RunRecord}
 */
export const createRunRecord = ({ label, durationMs, planned }) => ({
  label, startedAt: Date.now(), durationMs, planned, sent: 0, samples: [], events: [],
  spentUsd: 0, wastedUsd: 0, upstreamAttempts: 0, upstreamOutcomes: {},
});

/**
 * Keeps the router events the summary and report use, and adds up what Detour says each attempt cost.
 *
 * @param {RunRecord} record
 * @param {string} source
 * @param {import('@detour/core').RouterEvent} event
 */
export const recordEvent = (record, source, event) => {
  if (!kept.has(event.type)) return;
  record.events.push({ ...event, source, t: event.at - record.startedAt });
  if (event.type === 'cost-record' && event.costUsd !== undefined) {
    record.spentUsd += event.costUsd;
    if (event.outcome === 'failed') record.wastedUsd += event.costUsd;
  }
};

/**
 * The figures the live view shows, over what has completed so far.
 *
 * @param {RunRecord} record
 * @param {number} now  Date.now()
 */
export const liveFigures = (record, now) => {
  const done = record.samples.length;
  const succeeded = record.samples.filter((sample) => sample.ok).length;
  // Completions per second over the last second: what the system is delivering right now.
  const recent = record.samples.filter((sample) => sample.startedAt + sample.latencyMs >= now - 1000).length;
  const latencies = record.samples.map((sample) => sample.latencyMs);
  return {
    elapsedMs: now - record.startedAt,
    sent: record.sent,
    done,
    inFlight: record.sent - done,
    completionsPerSecond: recent,
    successRate: done === 0 ? undefined : succeeded / done,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    spentUsd: record.spentUsd,
  };
};
