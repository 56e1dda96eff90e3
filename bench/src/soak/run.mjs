#!/usr/bin/env node
// pnpm soak [--minutes N] [--rate R] [--seed S]: the gateway in a child process in front of three chaos upstreams
// whose faults switch on and off at seeded random moments, under a fixed-rate mix of JSON completions, streams,
// embeddings and abandoned streams. Every answer is checked; the gateway's RSS, heap, descriptors and event-loop
// delay are sampled. Exits 1 on any silent truncation, malformed success, hang, unhandled rejection, process
// warning, unexpected stderr output or growth past the stated tolerance; 3 if the whole run passes its own deadline.
import { killAll, killChildrenOnExit } from '../child-processes.mjs';
import { driveLoad } from './drive-load.mjs';
import { startGatewayProcess } from './gateway-process.mjs';
import { judgeGrowth, windowsFor } from './growth-verdict.mjs';
import { parseSoakOptions } from './options.mjs';
import { listenOverflows, loadAverage } from './machine-load.mjs';
import { countFds } from './process-resources.mjs';
import { renderReport } from './render-report.mjs';
import { startSampler } from './sampler.mjs';
import { createTally } from './tally.mjs';
import { startFaultSchedule, startUpstreams, upstreamShapes } from './upstreams.mjs';

const settings = parseSoakOptions(process.argv.slice(2));
// Router limits the soak runs under: a deadline short enough that a request held past it is seen as a hang within
// a one-minute run. The client's bound is that deadline plus a margin until a stream begins; after that the deadline
// no longer applies (streams live while they move), and the bound is the stream idle timeout plus a margin.
const router = { deadlineMs: 30_000, firstByteTimeoutMs: 5000, attemptTimeoutMs: 10_000, streamIdleTimeoutMs: 10_000 };
const boundMs = router.deadlineMs + 5000;
const idleBoundMs = router.streamIdleTimeoutMs + 5000;
const gatewayKey = 'gk-soak';
const startedAt = Date.now();
const log = (message) => process.stderr.write(`[${((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);
const settle = (promise, ms) => Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms).unref())]);

killChildrenOnExit();
// Load, the longest bound (a slow reader's), the 40 s descriptor drain and the shutdowns all fit in this.
const runDeadlineMs = settings.durationMs + boundMs + 200_000;
setTimeout(() => {
  log(`the soak passed its own deadline (${Math.round(runDeadlineMs / 1000)} s); stopping everything`);
  killAll();
  process.exit(3);
}, runDeadlineMs).unref();

const main = async () => {
  log(`soak: ${settings.minutes} min at ${settings.rate} req/s, seed ${settings.seed}; client bound ${boundMs} ms; router ${JSON.stringify(router)}`);
  const upstreams = await startUpstreams(settings.seed);
  const config = {
    endpoints: upstreams.map((upstream) => ({ name: upstream.name, baseUrl: upstream.baseUrl, apiKey: `sk-soak-${upstream.name}-upstream` })),
    gatewayKeys: [gatewayKey],
    router,
    shutdownGraceMs: 2000,
  };
  // Not pinned to a core: on a shared machine a pinned gateway competes with everything else on that core and
  // cannot use the other one, which measures the machine rather than the gateway.
  const gateway = await startGatewayProcess(config, undefined);
  log(`gateway pid ${gateway.pid} at ${gateway.url}; upstreams ${upstreams.map((upstream) => `${upstream.name} ${upstream.url}`).join(', ')}`);
  const baselineFds = countFds(gateway.pid);
  const machineAtStart = { load: loadAverage(), overflows: listenOverflows() };

  const tally = createTally();
  const sampler = startSampler(gateway, settings.sampleMs);
  const schedule = startFaultSchedule(upstreams, { seed: settings.seed, log: (line) => log(`fault switch ${line}`) });
  const windows = windowsFor(settings.durationMs);
  const warmupTimer = setTimeout(() => gateway.resetTotalDelay(), windows.warmupMs);
  const stopFaultsTimer = setTimeout(() => schedule.stop(), settings.durationMs);
  const progress = setInterval(() => {
    const last = sampler.samples.at(-1);
    log(`ok ${tally.total('ok')}, errors ${tally.total('error')}, truncated ${tally.total('truncated')}, malformed ${tally.total('malformed')}, hangs ${tally.total('hang')}, abandoned ${tally.total('abandoned')}; RSS ${last?.rssMiB.toFixed(1)} MiB, FDs ${last?.fds}, heap ${last?.heapMiB.toFixed(1)} MiB`);
  }, 10_000);

  const load = await driveLoad({
    url: gateway.url,
    key: gatewayKey,
    rate: settings.rate,
    durationMs: settings.durationMs,
    boundMs,
    idleBoundMs,
    seed: settings.seed,
    replyWords: Object.fromEntries(upstreamShapes.map((shape) => [shape.name, shape.completionTokens])),
    onResult: (result) => tally.add(result),
  });
  clearInterval(progress);
  clearTimeout(warmupTimer);
  clearTimeout(stopFaultsTimer);
  schedule.stop();
  sampler.stop();
  const delayTotal = await gateway.totalDelay();

  // With the client gone, the gateway's descriptors must come back to where they were before the load. Idle
  // upstream connections close within the node binding's keep-alive timeout (30 s): undici opens a fresh, unused
  // connection after each aborted request, which nothing else closes sooner.
  const drainedLimit = baselineFds + 8;
  let drainedFds = countFds(gateway.pid);
  for (let waited = 0; waited < 40_000 && !(drainedFds <= drainedLimit); waited += 500) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    drainedFds = countFds(gateway.pid);
  }
  const machine = { loadAtStart: machineAtStart.load, loadAtEnd: loadAverage(), overflows: listenOverflows() - machineAtStart.overflows };
  const exitedEarly = gateway.exited();
  await gateway.stop();
  await settle(Promise.all(upstreams.map((upstream) => upstream.close())), 5000);

  const measuredSamples = sampler.samples.filter((sample) => sample.atMs <= settings.durationMs);
  const growth = { windows, rows: judgeGrowth(measuredSamples, settings.durationMs) };
  const drained = { fds: drainedFds, baseline: baselineFds, limit: drainedLimit, passed: drainedFds <= drainedLimit };
  const reasons = [];
  for (const [outcome, label] of [['truncated', 'silent truncations'], ['malformed', 'malformed successes'], ['hang', 'hangs']]) {
    if (tally.total(outcome) > 0) reasons.push(`${tally.total(outcome)} ${label}`);
  }
  if (load.unsettled > 0) reasons.push(`${load.unsettled} exchanges never settled (a client bug)`);
  if (exitedEarly) reasons.push(`the gateway exited during the run (${JSON.stringify(exitedEarly)})`);
  if (gateway.stderr.unhandledRejections > 0) reasons.push(`${gateway.stderr.unhandledRejections} unhandled rejections in the gateway`);
  for (const [name, count] of gateway.stderr.warnings) reasons.push(`${count} × ${name} in the gateway`);
  if (gateway.stderr.otherLines > 0) reasons.push(`${gateway.stderr.otherLines} other lines on the gateway's stderr`);
  if (sampler.unanswered() > 0) reasons.push(`${sampler.unanswered()} resource samples unanswered within 2 s (a stalled event loop)`);
  for (const row of growth.rows) if (!row.passed) reasons.push(`${row.label} grew: late median ${row.lateMedian.toFixed(1)} > limit ${row.limit.toFixed(1)}`);
  if (!drained.passed) reasons.push(`open FDs did not return after the drain: ${drained.fds} > ${drained.limit}`);

  const lines = renderReport({
    settings,
    tally,
    load,
    stderr: gateway.stderr,
    samples: measuredSamples,
    measured: { unanswered: sampler.unanswered() },
    delayTotal,
    growth,
    drained,
    verdict: { reasons },
    switches: schedule.switches(),
    machine,
  });
  process.stdout.write(`${lines.join('\n')}\n`);
  return reasons.length === 0 ? 0 : 1;
};

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    killAll();
    process.exit(2);
  },
);
