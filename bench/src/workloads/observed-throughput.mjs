// Workload (b′): does observability cost throughput when nobody is watching? Two fresh Detour gateways with the
// same config, one with the dashboard collector on (admin key set; tracing too, through the
// DETOUR_BENCH_OBSERVED_IMPORT hook), one off, measured back to back in alternating order within the same run.
import { runToJson } from '../child-processes.mjs';
import { requestBody } from '../settings.mjs';
import { spread } from '../summary-statistics.mjs';
import { detourConfig, startDetourGateway, startDetourObserved } from '../subjects.mjs';

const maxThroughput = new URL('../load/max-throughput.mjs', import.meta.url).pathname;

/** Runs (b′) and returns req/s per variant and the on ÷ off ratio per pair of runs (median, min, max). */
export const runObservedThroughput = async ({ settings, upstreamUrls, subjectCpu, loadCpu, log }) => {
  const { connections, durationMs, warmupMs } = settings.throughput;
  const variants = {
    off: await startDetourGateway({ ...detourConfig(upstreamUrls), tracing: 'off' }, subjectCpu, 'detour-unobserved-config.json'),
    on: await startDetourObserved(upstreamUrls, subjectCpu),
  };
  const runs = { off: [], on: [] };
  const measure = (name) => {
    const spec = { ...variants[name].target('single'), body: requestBody, connections, durationMs, warmupMs };
    return runToJson({ name: 'autocannon', args: [maxThroughput, JSON.stringify(spec)], cpu: loadCpu, timeoutMs: durationMs + warmupMs + 20_000 });
  };
  // At least three pairs, in alternating order, so neither variant always runs first; both fresh processes get one
  // unrecorded run first, so neither is measured cold (the first quick run measured a cold gateway at 240 req/s, the same one warm at 2177).
  const pairs = Math.max(3, settings.repetitions);
  try {
    for (const name of ['off', 'on']) await measure(name);
    for (let pair = 0; pair < pairs; pair += 1) {
      for (const name of pair % 2 === 0 ? ['off', 'on'] : ['on', 'off']) {
        const load = await measure(name);
        runs[name].push(load.requestsPerSecond);
        log(`observed throughput pair ${pair + 1}/${pairs} ${name.padEnd(3)} ${Math.round(load.requestsPerSecond)} req/s  non-2xx ${load.non2xx}  errors ${load.errors}`);
      }
    }
  } finally {
    await Promise.all(Object.values(variants).map((variant) => variant.stop()));
  }
  return {
    tracing: process.env.DETOUR_BENCH_OBSERVED_IMPORT
      ? `\`auto\` with a provider registered by ${process.env.DETOUR_BENCH_OBSERVED_IMPORT}`
      : '`auto` with @opentelemetry/api installed and no provider registered (nobody collecting)',
    off: spread(runs.off), on: spread(runs.on), ratio: spread(runs.on.map((on, index) => on / runs.off[index])), runs,
  };
};

/** The report's section for (b′). */
export const observedMarkdown = (result, settings) => `## (b′) Observability when nobody watches (autocannon, ${settings.throughput.connections} connections)

Two fresh Detour gateways, same config, measured in alternating order: **off** (no admin key, \`tracing: 'off'\`) and
**on** (dashboard collector running with an admin key set, nobody polling it; tracing ${result.tracing}).

| variant | req/s, median (min–max) |
| --- | --- |
| off | ${Math.round(result.off.median)} (${Math.round(result.off.min)}–${Math.round(result.off.max)}) |
| on | ${Math.round(result.on.median)} (${Math.round(result.on.min)}–${Math.round(result.on.max)}) |

On ÷ off, per pair: **${result.ratio.median.toFixed(3)}** (${result.ratio.min.toFixed(3)}–${result.ratio.max.toFixed(3)}, ${result.ratio.n} pairs). Within noise means
the range spans 1.
`;
