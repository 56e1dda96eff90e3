// Workload (d): the primary answers OpenAI's 429 with Retry-After to a seeded 30 % of requests; the backup is
// healthy. Upstream requests are counted at the upstreams themselves, reset before each run.
import { runToJson } from '../child-processes.mjs';
import { requestBody } from '../settings.mjs';
import { rotated } from './rotation.mjs';

const fixedRate = new URL('../load/fixed-rate.mjs', import.meta.url).pathname;
/** Subjects with a failover policy, plus direct as the no-failover reference. */
export const failoverSubjects = ['direct', 'detour', 'portkey'];

export const runFailover = async ({ settings, subjects, upstreams, loadCpu, log }) => {
  const { rate, durationMs, drainMs } = settings.failover;
  const runs = Object.fromEntries(failoverSubjects.map((name) => [name, []]));
  for (let repetition = 0; repetition < settings.repetitions; repetition += 1) {
    for (const name of rotated(failoverSubjects, repetition)) {
      // Let a cooldown from the previous run expire, so every subject starts from a healthy primary.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await upstreams.control('reset');
      const spec = { ...subjects[name].target('failover'), body: { ...requestBody, model: 'flaky' }, rate, durationMs, drainMs };
      const load = await runToJson({ name: 'failover load', args: [fixedRate, JSON.stringify(spec)], cpu: loadCpu, timeoutMs: durationMs + 2 * drainMs + 15_000 });
      const { stats } = await upstreams.control('stats');
      const upstreamRequests = stats.main.total + stats.backup.total;
      const result = { ...load, upstream: stats, upstreamRequests, successRate: load.ok / load.sent, upstreamRequestsPerSuccess: upstreamRequests / load.ok };
      runs[name].push(result);
      log(`failover rep ${repetition + 1}/${settings.repetitions} ${name.padEnd(7)} success ${(100 * result.successRate).toFixed(2)} %  upstream/success ${result.upstreamRequestsPerSuccess.toFixed(3)}  p99 ${load.latencyMs.p99.toFixed(2)} ms`);
    }
  }
  return runs;
};
