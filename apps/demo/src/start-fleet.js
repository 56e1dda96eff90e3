import { startChaosUpstream } from '@detour/testkit';

/** The model every request asks for; priced by @detour/core's table, so spend is in real list-price dollars. */
export const demoModel = 'gpt-4.1';

/** Words per reply: one completion token and one stream chunk each. */
const completionTokens = 48;

/**
 * @typedef {object} Fleet
 * @property {import('@detour/testkit').ChaosUpstream[]} upstreams  In priority order.
 * @property {import('./scenarios.js').UpstreamPlan[]} plans
 * @property {import('./scenarios.js').FaultWindow[]} windows  Scripted fault windows, for the report.
 * @property {() => void} restart  Restarts every script (and so its time windows) and clears the counters.
 * @property {() => Promise<void>} close
 */

/**
 * Starts the three chaos upstreams of a scenario on 127.0.0.1, each with its own seed derived from `seed`, so the
 * same seed and the same traffic give the same faults.
 *
 * @param {import('./scenarios.js').Scenario} scenario
 * @param {{ durationMs: number, seed: number }} options
 * @returns {Promise<Fleet>}
 */
export const startFleet = async (scenario, { durationMs, seed }) => {
  const { upstreams: plans, windows } = scenario.timeline(durationMs);
  const upstreams = await Promise.all(
    plans.map((plan, index) =>
      startChaosUpstream({
        name: plan.name,
        script: plan.script,
        latency: plan.latency,
        seed: seed * 31 + index,
        // A few milliseconds between words makes a stream last long enough to look like one.
        chunkDelayMs: 3,
        completionTokens,
      }),
    ),
  );
  return {
    upstreams,
    plans,
    windows,
    restart() {
      upstreams.forEach((upstream, index) => {
        upstream.setScript(plans[index].script);
        upstream.resetStats();
      });
    },
    close: () => Promise.all(upstreams.map((upstream) => upstream.close())).then(() => undefined),
  };
};
