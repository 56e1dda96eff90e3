// (c′) First byte against rate: is the first-byte gap the stream relay, or the request path itself? The bare proxy,
// Detour and the direct floor again, interleaved, for streams at a higher rate and for JSON answers at the streaming
// workload's rate. The JSON answer is one small body chunk, so its latency is its first byte as well as its last.
import { runToJson } from '../child-processes.mjs';
import { requestBody } from '../settings.mjs';
import { rotated } from './rotation.mjs';

const fixedRate = new URL('../load/fixed-rate.mjs', import.meta.url).pathname;
export const firstByteSubjects = ['direct', 'bare', 'detour'];

/** The variants measured, besides (c) itself: streams at `fastRate`, JSON at (c)'s rate. */
export const firstByteVariants = (settings) => [
  { key: 'streamsFast', stream: true, rate: settings.streaming.fastRate },
  { key: 'jsonSlow', stream: false, rate: settings.streaming.rate },
];

export const runFirstByteByRate = async ({ settings, subjects, loadCpu, log }) => {
  const { durationMs, warmupMs, drainMs } = settings.streaming;
  const runs = {};
  for (const variant of firstByteVariants(settings)) {
    runs[variant.key] = Object.fromEntries(firstByteSubjects.map((name) => [name, []]));
    for (let repetition = 0; repetition < settings.repetitions; repetition += 1) {
      for (const name of rotated(firstByteSubjects, repetition)) {
        const { stream, rate } = variant;
        const spec = { ...subjects[name].target('single'), body: { ...requestBody, stream }, stream, rate, durationMs, warmupMs, drainMs };
        const load = await runToJson({ name: 'first-byte load', args: [fixedRate, JSON.stringify(spec)], cpu: loadCpu, timeoutMs: warmupMs + durationMs + 2 * drainMs + 15_000 });
        const firstByteP50 = stream ? load.firstByteMs.p50 : load.latencyMs.p50;
        runs[variant.key][name].push({ firstByteP50, ok: load.ok, sent: load.sent });
        log(`first byte ${variant.key} rep ${repetition + 1}/${settings.repetitions} ${name.padEnd(7)} p50 ${firstByteP50.toFixed(2)} ms  ok ${load.ok}/${load.sent}`);
      }
    }
  }
  return runs;
};
