// Workload (c): streamed completions at a fixed rate: time to the first body byte, to the first content token, and
// the gaps between chunks (the upstream paces events 5 ms apart).
import { runToJson } from '../child-processes.mjs';
import { requestBody } from '../settings.mjs';
import { monotonicUs } from '../profile/monotonic.mjs';
import { rotated } from './rotation.mjs';

const fixedRate = new URL('../load/fixed-rate.mjs', import.meta.url).pathname;

export const runStreaming = async ({ settings, subjects, loadCpu, log }) => {
  const { rate, durationMs, warmupMs, drainMs } = settings.streaming;
  const runs = Object.fromEntries(Object.keys(subjects).map((name) => [name, []]));
  for (let repetition = 0; repetition < settings.repetitions; repetition += 1) {
    for (const name of rotated(Object.keys(subjects), repetition)) {
      const spec = { ...subjects[name].target('single'), body: { ...requestBody, stream: true }, stream: true, rate, durationMs, warmupMs, drainMs };
      const from = monotonicUs();
      const load = await runToJson({ name: 'stream load', args: [fixedRate, JSON.stringify(spec)], cpu: loadCpu, timeoutMs: warmupMs + durationMs + 2 * drainMs + 15_000 });
      // The run's window and stream count select and scale the subject's CPU-profile samples (--profile-detour).
      const result = { ...load, profileWindow: { from, to: monotonicUs(), requests: load.sent + load.warmupSent } };
      runs[name].push(result);
      log(`streaming rep ${repetition + 1}/${settings.repetitions} ${name.padEnd(7)} first byte p50 ${result.firstByteMs.p50.toFixed(2)} ms  gap p99 ${result.interChunkMs.p99.toFixed(2)} ms  ok ${result.ok}/${result.sent}`);
    }
  }
  return runs;
};
