/**
 * What the upstreams received during a run (their counters restart with the run): the total, and each outcome as
 * `upstream: outcome` (`primary: rate-limit`, `backup: status-500`, …).
 *
 * @param {import('./start-fleet.js').Fleet} fleet
 * @returns {{ upstreamAttempts: number, upstreamOutcomes: Record<string, number> }}
 */
export const countUpstreamTraffic = (fleet) => {
  let upstreamAttempts = 0;
  const upstreamOutcomes = {};
  for (const upstream of fleet.upstreams) {
    const stats = upstream.stats();
    upstreamAttempts += stats.total;
    for (const [outcome, count] of Object.entries(stats.byOutcome)) upstreamOutcomes[`${upstream.name}: ${outcome}`] = count;
  }
  return { upstreamAttempts, upstreamOutcomes };
};
