// Before anything is measured, every subject serves the traffic the workloads send until V8's optimising compiler
// has settled on it, and the results are discarded. A fresh Node process runs its hot paths in the interpreter until
// V8 has optimised them, on background threads that share the subject's one pinned core; and code optimised for
// JSON answers is thrown away (deoptimised) the first time the same functions see a stream's objects, then optimised
// again only once they have run often enough. So the warm-up alternates JSON at full speed with streams, twice: in
// the first round each path is optimised and the other's shapes deoptimise it, in the second it is optimised for both.
// Traced with `--trace-opt --trace-deopt` (bench/README.md, "the third stop of 2026-12-05"): after the earlier
// warm-up (JSON at 300/s, then 100 streams) the gateway still optimised 107 functions during a 5 s run at 200 req/s
// and 41 during one at 50 streams/s, so those runs measured the compiler at work; after this one, 0–2 and 6–10.
// Each run's own warm-up (1 s at its rate) stays as it was.
import { runToJson } from '../child-processes.mjs';
import { requestBody } from '../settings.mjs';

const fixedRate = new URL('../load/fixed-rate.mjs', import.meta.url).pathname;
const maxThroughput = new URL('../load/max-throughput.mjs', import.meta.url).pathname;

export const runPrewarm = async ({ settings, subjects, loadCpu, log }) => {
  const { rounds, connections, streamRate } = settings.prewarm;
  for (const [name, subject] of Object.entries(subjects)) {
    let served = 0;
    let sent = 0;
    for (const { jsonMs, streamMs } of rounds) {
      const json = { ...subject.target('single'), body: requestBody, connections, durationMs: jsonMs, warmupMs: 0 };
      const stream = { ...subject.target('single'), body: { ...requestBody, stream: true }, stream: true, rate: streamRate, durationMs: streamMs, drainMs: 3000 };
      const first = await runToJson({ name: 'prewarm', args: [maxThroughput, JSON.stringify(json)], cpu: loadCpu, timeoutMs: jsonMs + 20_000 });
      const second = await runToJson({ name: 'prewarm', args: [fixedRate, JSON.stringify(stream)], cpu: loadCpu, timeoutMs: streamMs + 20_000 });
      served += first.total - first.non2xx + second.ok;
      sent += first.total + second.sent;
    }
    log(`prewarm ${name.padEnd(7)} ${served}/${sent} answered in ${rounds.length} rounds of JSON at full speed and streams at ${streamRate}/s (not measured)`);
  }
};
