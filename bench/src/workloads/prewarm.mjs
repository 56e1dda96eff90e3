// Before anything is measured, every subject serves a few seconds of the traffic the workloads send (JSON
// completions, then streams), and the results are discarded. A fresh Node process runs its hot paths in the
// interpreter until V8 has optimised them, and its optimising compiler works on background threads that share the
// subject's one pinned core: the first repetitions of a fresh subject measured that start-up, not its steady state
// (a larger program takes longer). Each run's own warm-up (1 s at its rate) stays as it was.
import { runToJson } from '../child-processes.mjs';
import { requestBody } from '../settings.mjs';

const fixedRate = new URL('../load/fixed-rate.mjs', import.meta.url).pathname;

export const runPrewarm = async ({ settings, subjects, loadCpu, log }) => {
  const { jsonRate, jsonMs, streamRate, streamMs } = settings.prewarm;
  for (const [name, subject] of Object.entries(subjects)) {
    const json = { ...subject.target('single'), body: requestBody, rate: jsonRate, durationMs: jsonMs, drainMs: 3000 };
    const stream = { ...subject.target('single'), body: { ...requestBody, stream: true }, stream: true, rate: streamRate, durationMs: streamMs, drainMs: 3000 };
    const first = await runToJson({ name: 'prewarm', args: [fixedRate, JSON.stringify(json)], cpu: loadCpu, timeoutMs: jsonMs + 20_000 });
    const second = await runToJson({ name: 'prewarm', args: [fixedRate, JSON.stringify(stream)], cpu: loadCpu, timeoutMs: streamMs + 20_000 });
    log(`prewarm ${name.padEnd(7)} ${first.ok}/${first.sent} JSON at ${jsonRate}/s, ${second.ok}/${second.sent} streams at ${streamRate}/s (not measured)`);
  }
};
