import { percentile } from './percentile.js';

/**
 * @typedef {object} RunSummary  The figures of the closing table, for one run.
 * @property {string} label
 * @property {number} requests
 * @property {number} succeeded
 * @property {number} successRate
 * @property {number} attemptsPerRequest  Requests the upstreams received, per request sent.
 * @property {number | undefined} failovers  Undefined where there is nothing to fail over to (the naive run).
 * @property {number | undefined} p50  Latency in ms over every request, failed ones included: the caller waited that long either way.
 * @property {number | undefined} p95
 * @property {number | undefined} p99
 * @property {number} spentUsd
 * @property {number} wastedUsd
 * @property {number | undefined} usdPerSuccess  USD spent per successful request (undefined when none succeeded).
 * @property {Record<string, number>} errors  Failed requests by what the caller saw.
 */

/**
 * Reduces a finished run to its summary figures.
 *
 * @param {import('./run-record.js').RunRecord} record
 * @returns {RunSummary}
 */
export const summarizeRun = (record) => {
  const requests = record.samples.length;
  const succeeded = record.samples.filter((sample) => sample.ok).length;
  const latencies = record.samples.map((sample) => sample.latencyMs);
  const errors = {};
  for (const sample of record.samples) if (!sample.ok) errors[sample.error ?? 'unknown'] = (errors[sample.error ?? 'unknown'] ?? 0) + 1;
  const failoverEvents = record.events.filter((event) => event.type === 'failover').length;
  return {
    label: record.label,
    requests,
    succeeded,
    successRate: requests === 0 ? 0 : succeeded / requests,
    attemptsPerRequest: requests === 0 ? 0 : record.upstreamAttempts / requests,
    // The naive runs emit no events: the primary-only one has nothing to fail over to, and the hand-written
    // failover's moves are not counted as events.
    failovers: record.label.startsWith('naive') ? undefined : failoverEvents,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    spentUsd: record.spentUsd,
    wastedUsd: record.wastedUsd,
    usdPerSuccess: succeeded === 0 ? undefined : record.spentUsd / succeeded,
    errors,
  };
};
