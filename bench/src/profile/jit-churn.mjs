#!/usr/bin/env node
// How much of V8's optimising a measured run would still include after the bench's warm-up. The gateway runs with
// `--trace-opt --trace-deopt`, is warmed up as the bench warms every subject (`--earlier`: as it did before
// 2026-12-05, JSON at 300/s for 4 s then streams at 50/s for 2 s), then serves 5 s of JSON at 200 req/s and 5 s of
// streams at 50/s, as workloads (a) and (c) do; `--between <s>` puts that long of JSON at full speed between the two,
// as workloads (a) and (b) come between the warm-up and (c). Prints, per phase, how many functions V8 optimised and
// deoptimised: a run that optimises dozens of functions measures the compiler at work, not the steady state.
// `--show` also names what was deoptimised after the warm-up, and why.
// Usage: node bench/src/profile/jit-churn.mjs [--earlier] [--between <s>] [--show]
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { killChildrenOnExit, runToJson } from '../child-processes.mjs';
import { requestBody, settingsFor } from '../settings.mjs';
import { detourConfig, startDetourGateway } from '../subjects.mjs';
import { startUpstreams } from '../upstream-control.mjs';
import { runPrewarm } from '../workloads/prewarm.mjs';

const { values } = parseArgs({ options: { earlier: { type: 'boolean', default: false }, between: { type: 'string', default: '0' }, show: { type: 'boolean', default: false } } });
const fixedRate = fileURLToPath(new URL('../load/fixed-rate.mjs', import.meta.url));
const maxThroughput = fileURLToPath(new URL('../load/max-throughput.mjs', import.meta.url));
const betweenMs = Number(values.between) * 1000;
if (!(betweenMs >= 0 && Number.isFinite(betweenMs))) throw new Error(`--between takes seconds, a number of 0 or more (got "${values.between}")`);
const [upstreamCpu, subjectCpu, loadCpu] = [0, 1, 0];
const settings = settingsFor(false);

killChildrenOnExit();
const upstreams = await startUpstreams(upstreamCpu);
const gateway = await startDetourGateway(detourConfig(upstreams.urls), subjectCpu, 'jit-churn-config.json', { nodeArgs: ['--trace-opt', '--trace-deopt'] });
const { target } = gateway;

// V8 prints one line per optimisation finished and one per deoptimisation begun.
const counts = new Map();
let phase = 'warm-up';
let unread = '';
const shown = [];
gateway.stdout.on('data', (chunk) => {
  const lines = (unread + chunk).split('\n');
  unread = lines.pop();
  const count = counts.get(phase) ?? { optimised: 0, deoptimised: 0 };
  for (const line of lines) {
    if (line.includes('[completed optimizing')) count.optimised += 1;
    else if (line.includes('[bailout (kind: deopt')) {
      count.deoptimised += 1;
      if (values.show && phase !== 'warm-up') shown.push(`${phase}: ${/reason: ([^)]*)\).*?<JSFunction ([^ >]*)/.exec(line)?.slice(1).reverse().join(' — ') ?? line}`);
    }
  }
  counts.set(phase, count);
});
const atRate = (stream, rate, durationMs) =>
  runToJson({
    name: 'fixed-rate load',
    args: [fixedRate, JSON.stringify({ ...target(), body: stream ? { ...requestBody, stream } : requestBody, stream, rate, durationMs, drainMs: 3000 })],
    cpu: loadCpu,
    timeoutMs: durationMs + 20_000,
  });

if (values.earlier) {
  await atRate(false, 300, 4000);
  await atRate(true, 50, 2000);
} else {
  await runPrewarm({ settings, subjects: { detour: { target } }, loadCpu, log: () => undefined });
}
phase = 'JSON at 200 req/s, 5 s';
await atRate(false, 200, 5000);
if (betweenMs > 0) {
  phase = `JSON at full speed, ${values.between} s`;
  const json = { ...target(), body: requestBody, connections: 50, durationMs: betweenMs, warmupMs: 0 };
  await runToJson({ name: 'autocannon', args: [maxThroughput, JSON.stringify(json)], cpu: loadCpu, timeoutMs: betweenMs + 20_000 });
}
phase = 'streams at 50/s, 5 s';
await atRate(true, 50, 5000);
await gateway.stop();
await upstreams.stop();

process.stdout.write(`warm-up: ${values.earlier ? 'before 2026-12-05 (JSON at 300/s for 4 s, streams at 50/s for 2 s)' : 'the bench\'s (workloads/prewarm.mjs)'}\n`);
for (const [name, { optimised, deoptimised }] of counts) process.stdout.write(`${name.padEnd(24)} optimised ${String(optimised).padStart(4)}  deoptimised ${String(deoptimised).padStart(4)}\n`);
for (const line of shown) process.stdout.write(`  ${line}\n`);
process.exit(0);
