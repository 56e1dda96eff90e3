import { runDetour } from './run-detour.js';
import { runNaive } from './run-naive.js';
import { startFleet } from './start-fleet.js';
import { summarizeRun } from './summarize-run.js';

/**
 * @typedef {object} DemoResult
 * @property {import('./run-record.js').RunRecord} detour
 * @property {import('./run-record.js').RunRecord} naive
 * @property {import('./run-record.js').RunRecord} naiveFailover  The naive SDK, plus trying the next upstream on failure.
 * @property {import('./summarize-run.js').RunSummary[]} summaries  Detour, naive, naive+failover.
 * @property {import('./scenarios.js').FaultWindow[]} windows
 * @property {string[]} upstreams  Upstream names, in priority order.
 */

/**
 * Runs the whole demo once: the fleet, the Detour run, then the two naive runs on the same fault timeline.
 *
 * @param {import('./parse-cli-args.js').DemoOptions & { output: NodeJS.WriteStream }} options
 * @returns {Promise<DemoResult>}
 */
export const runDemo = async ({ scenario, durationSeconds, rate, seed, output }) => {
  const fleet = await startFleet(scenario, { durationMs: durationSeconds * 1000, seed });
  try {
    const detour = await runDetour({ fleet, durationSeconds, rate, output });
    const naive = await runNaive({ fleet, durationSeconds, rate, output });
    const naiveFailover = await runNaive({ fleet, durationSeconds, rate, output, failover: true });
    return {
      detour,
      naive,
      naiveFailover,
      summaries: [summarizeRun(detour), summarizeRun(naive), summarizeRun(naiveFailover)],
      windows: fleet.windows,
      upstreams: fleet.upstreams.map((upstream) => upstream.name),
    };
  } finally {
    await fleet.close();
  }
};
