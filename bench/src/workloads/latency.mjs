// Workload (a): added latency of JSON completions at fixed request rates, from the open-loop generator.
import { runToJson } from '../child-processes.mjs';
import { cpuSeconds } from '../process-cpu.mjs';
import { requestBody } from '../settings.mjs';
import { monotonicUs } from '../profile/monotonic.mjs';
import { rotated } from './rotation.mjs';

const fixedRate = new URL('../load/fixed-rate.mjs', import.meta.url).pathname;

export const runLatency = async ({ settings, subjects, loadCpu, log }) => {
  const { rates, durationMs, warmupMs, drainMs } = settings.latency;
  const runs = Object.fromEntries(rates.map((rate) => [rate, Object.fromEntries(Object.keys(subjects).map((name) => [name, []]))]));
  for (let repetition = 0; repetition < settings.repetitions; repetition += 1) {
    for (const rate of rates) {
      for (const name of rotated(Object.keys(subjects), repetition)) {
        const spec = { ...subjects[name].target('single'), body: requestBody, rate, durationMs, warmupMs, drainMs };
        const cpuBefore = cpuSeconds(subjects[name].pid);
        const from = monotonicUs();
        const load = await runToJson({ name: 'fixed-rate load', args: [fixedRate, JSON.stringify(spec)], cpu: loadCpu, timeoutMs: warmupMs + durationMs + 2 * drainMs + 15_000 });
        // Warm-up included: both halves ran at the same rate, so this is the subject's CPU share at that rate.
        const subjectCpuMsPerRequest = ((cpuSeconds(subjects[name].pid) - cpuBefore) * 1000) / (load.sent + load.warmupSent);
        // The run's window and request count select and scale the subject's CPU-profile samples (--profile-detour).
        const result = { ...load, subjectCpuMsPerRequest, profileWindow: { from, to: monotonicUs(), requests: load.sent + load.warmupSent } };
        runs[rate][name].push(result);
        log(`latency ${rate}/s rep ${repetition + 1}/${settings.repetitions} ${name.padEnd(7)} p50 ${result.latencyMs.p50.toFixed(2)} ms  p99 ${result.latencyMs.p99.toFixed(2)} ms  ok ${result.ok}/${result.sent}  generator late p99 ${result.schedulerLatenessMs.p99.toFixed(1)} ms`);
      }
    }
  }
  return runs;
};
