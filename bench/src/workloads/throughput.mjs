// Workload (b): the most JSON completions per second at a fixed concurrency, driven by autocannon.
import { runToJson } from '../child-processes.mjs';
import { cpuSeconds } from '../process-cpu.mjs';
import { requestBody } from '../settings.mjs';
import { monotonicUs } from '../profile/monotonic.mjs';
import { rotated } from './rotation.mjs';

const maxThroughput = new URL('../load/max-throughput.mjs', import.meta.url).pathname;

export const runThroughput = async ({ settings, subjects, loadCpu, log }) => {
  const { connections, durationMs, warmupMs } = settings.throughput;
  const runs = Object.fromEntries(Object.keys(subjects).map((name) => [name, []]));
  for (let repetition = 0; repetition < settings.repetitions; repetition += 1) {
    for (const name of rotated(Object.keys(subjects), repetition)) {
      const spec = { ...subjects[name].target('single'), body: requestBody, connections, durationMs, warmupMs };
      const cpuBefore = cpuSeconds(subjects[name].pid);
      const from = monotonicUs();
      const load = await runToJson({ name: 'autocannon', args: [maxThroughput, JSON.stringify(spec)], cpu: loadCpu, timeoutMs: durationMs + warmupMs + 20_000 });
      const subjectCpuMsPerRequest = ((cpuSeconds(subjects[name].pid) - cpuBefore) * 1000) / (load.total + load.warmupTotal);
      // The run's window and request count select and scale the subject's CPU-profile samples (--profile-detour).
      const result = { ...load, subjectCpuMsPerRequest, profileWindow: { from, to: monotonicUs(), requests: load.total + load.warmupTotal } };
      runs[name].push(result);
      log(`throughput rep ${repetition + 1}/${settings.repetitions} ${name.padEnd(7)} ${Math.round(result.requestsPerSecond)} req/s  non-2xx ${result.non2xx}  errors ${result.errors}${Number.isFinite(subjectCpuMsPerRequest) ? `  CPU ${subjectCpuMsPerRequest.toFixed(3)} ms/request` : ''}`);
    }
  }
  return runs;
};
