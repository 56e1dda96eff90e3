// Workload (e): peak resident memory of each proxy holding many slow streams at once. Every proxy starts fresh, so
// its VmHWM (peak RSS since start) belongs to this workload alone; a short stream warm-up comes first and the RSS
// after it is the baseline. Repeated, subjects interleaved, like every other workload: a fresh V8 heap settles at
// one of a few sizes (whether its young generation has grown yet), so one sample per subject is a coin toss.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runToJson, spawnNode, waitForLine } from '../child-processes.mjs';
import { requestBody } from '../settings.mjs';
import { readMemory, startSubject } from '../subjects.mjs';
import { rotated } from './rotation.mjs';

const fixedRate = new URL('../load/fixed-rate.mjs', import.meta.url).pathname;
const openStreams = new URL('../load/open-streams.mjs', import.meta.url).pathname;
const heapProbe = new URL('../profile/heap-probe.mjs', import.meta.url).pathname;
/** The proxies measured; direct has no process of its own to measure. */
export const memorySubjects = ['bare', 'detour', 'portkey'];

export const runMemory = async ({ settings, upstreamUrls, subjectCpu, loadCpu, log }) => {
  const { streams, holdMs, repetitions } = settings.memory;
  const runs = Object.fromEntries(memorySubjects.map((name) => [name, []]));
  for (let repetition = 0; repetition < repetitions; repetition += 1) {
    for (const name of rotated(memorySubjects, repetition)) runs[name].push(await measureOne({ name, streams, holdMs, upstreamUrls, subjectCpu, loadCpu, log, label: `rep ${repetition + 1}/${repetitions}` }));
  }
  return runs;
};

/**
 * (e′) Where the memory goes: the bare proxy and Detour again, fresh, interleaved, each with the heap probe
 * (`profile/heap-probe.mjs`) watching from the end of the warm-up until the streams are held: V8's heap spaces at
 * the highest RSS, what the scavenges promoted to the old generation meanwhile, and the live heap after a full
 * collection, before the streams and with them open. Apart from (e), whose peaks stay unprobed.
 */
export const runMemoryAnatomy = async ({ settings, upstreamUrls, subjectCpu, loadCpu, log }) => {
  const { streams, holdMs, anatomyRepetitions } = settings.memory;
  const folder = mkdtempSync(join(tmpdir(), 'detour-heap-probe-'));
  const runs = { bare: [], detour: [] };
  try {
    for (let repetition = 0; repetition < anatomyRepetitions; repetition += 1) {
      for (const name of rotated(Object.keys(runs), repetition)) {
        const probe = join(folder, `${name}-${repetition}.json`);
        runs[name].push(await measureOne({ name, streams, holdMs, upstreamUrls, subjectCpu, loadCpu, log, label: `anatomy ${repetition + 1}/${anatomyRepetitions}`, probe }));
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return runs;
};

/** Waits, polling every 20 ms, until `path` exists; throws after `ms`. */
export const waitForFile = async (path, ms) => {
  for (let waited = 0; !existsSync(path); waited += 20) {
    if (waited >= ms) throw new Error(`the heap probe wrote nothing to ${path} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/**
 * One fresh subject: warm-up, then `streams` slow streams at once; its RSS before, during and at peak. With `probe`
 * (a file path), the heap probe watches the streams' phase and its findings join the run.
 */
const measureOne = async ({ name, streams, holdMs, upstreamUrls, subjectCpu, loadCpu, log, label, probe }) => {
  const options = probe ? { nodeArgs: ['--expose-gc', '--import', heapProbe], env: { DETOUR_BENCH_HEAP_PROBE: probe } } : undefined;
  const subject = await startSubject(name, upstreamUrls, subjectCpu, options);
  try {
    const warmup = { ...subject.target('single'), body: { ...requestBody, stream: true }, stream: true, rate: 100, durationMs: 1000, drainMs: 2000 };
    await runToJson({ name: 'memory warm-up', args: [fixedRate, JSON.stringify(warmup)], cpu: loadCpu, timeoutMs: 20_000 });
    const baseline = readMemory(subject.pid);
    if (probe) process.kill(subject.pid, 'SIGUSR2');
    const spec = { ...subject.target('single'), body: { ...requestBody, model: 'slow-stream', stream: true }, count: streams, holdMs };
    const client = spawnNode({ name: 'open streams', args: [openStreams, JSON.stringify(spec)], cpu: loadCpu, ipc: true });
    const [line] = await waitForLine(client, /\{"event":"holding".*\}/, holdMs + 20_000);
    const holding = JSON.parse(line);
    const during = readMemory(subject.pid);
    if (probe) {
      process.kill(subject.pid, 'SIGUSR2');
      await waitForFile(probe, 5000);
    }
    client.send('hang up');
    await new Promise((resolve) => client.once('exit', resolve));
    const after = readMemory(subject.pid);
    const peakMiB = Math.max(during.peakMiB, after.peakMiB);
    const run = {
      baselineRssMiB: baseline.rssMiB,
      rssWithStreamsOpenMiB: during.rssMiB,
      peakRssMiB: peakMiB,
      perStreamKiB: ((peakMiB - baseline.rssMiB) * 1024) / streams,
      ...holding,
    };
    if (probe) run.heap = JSON.parse(readFileSync(probe, 'utf8'));
    log(`memory ${label} ${name.padEnd(7)} ${streams} streams: peak RSS ${peakMiB.toFixed(1)} MiB (baseline ${baseline.rssMiB.toFixed(1)} MiB), ${holding.flowing}/${streams} flowing`);
    return run;
  } finally {
    await subject.stop();
  }
};
