// Workload (e): peak resident memory of each proxy holding many slow streams at once. Every proxy starts fresh, so
// its VmHWM (peak RSS since start) belongs to this workload alone; a short stream warm-up comes first and the RSS
// after it is the baseline. Repeated, subjects interleaved, like every other workload: a fresh V8 heap settles at
// one of a few sizes (whether its young generation has grown yet), so one sample per subject is a coin toss.
import { runToJson, spawnNode, waitForLine } from '../child-processes.mjs';
import { requestBody } from '../settings.mjs';
import { readMemory, startSubject } from '../subjects.mjs';
import { rotated } from './rotation.mjs';

const fixedRate = new URL('../load/fixed-rate.mjs', import.meta.url).pathname;
const openStreams = new URL('../load/open-streams.mjs', import.meta.url).pathname;
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

/** One fresh subject: warm-up, then `streams` slow streams at once; its RSS before, during and at peak. */
const measureOne = async ({ name, streams, holdMs, upstreamUrls, subjectCpu, loadCpu, log, label }) => {
  const subject = await startSubject(name, upstreamUrls, subjectCpu);
  try {
    const warmup = { ...subject.target('single'), body: { ...requestBody, stream: true }, stream: true, rate: 100, durationMs: 1000, drainMs: 2000 };
    await runToJson({ name: 'memory warm-up', args: [fixedRate, JSON.stringify(warmup)], cpu: loadCpu, timeoutMs: 20_000 });
    const baseline = readMemory(subject.pid);
    const spec = { ...subject.target('single'), body: { ...requestBody, model: 'slow-stream', stream: true }, count: streams, holdMs };
    const client = spawnNode({ name: 'open streams', args: [openStreams, JSON.stringify(spec)], cpu: loadCpu, ipc: true });
    const [line] = await waitForLine(client, /\{"event":"holding".*\}/, holdMs + 20_000);
    const holding = JSON.parse(line);
    const during = readMemory(subject.pid);
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
    log(`memory ${label} ${name.padEnd(7)} ${streams} streams: peak RSS ${peakMiB.toFixed(1)} MiB (baseline ${baseline.rssMiB.toFixed(1)} MiB), ${holding.flowing}/${streams} flowing`);
    return run;
  } finally {
    await subject.stop();
  }
};
