// Workload (e): peak resident memory of each proxy holding many slow streams at once. Every proxy starts fresh, so
// its VmHWM (peak RSS since start) belongs to this workload alone; a short stream warm-up comes first and the RSS
// after it is the baseline.
import { runToJson, spawnNode, waitForLine } from '../child-processes.mjs';
import { requestBody } from '../settings.mjs';
import { readMemory, startSubject } from '../subjects.mjs';

const fixedRate = new URL('../load/fixed-rate.mjs', import.meta.url).pathname;
const openStreams = new URL('../load/open-streams.mjs', import.meta.url).pathname;
/** The proxies measured; direct has no process of its own to measure. */
export const memorySubjects = ['bare', 'detour', 'portkey'];

export const runMemory = async ({ settings, upstreamUrls, subjectCpu, loadCpu, log }) => {
  const { streams, holdMs } = settings.memory;
  const runs = {};
  for (const name of memorySubjects) {
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
      runs[name] = {
        baselineRssMiB: baseline.rssMiB,
        rssWithStreamsOpenMiB: during.rssMiB,
        peakRssMiB: peakMiB,
        perStreamKiB: ((peakMiB - baseline.rssMiB) * 1024) / streams,
        ...holding,
      };
      log(`memory ${name.padEnd(7)} ${streams} streams: peak RSS ${peakMiB.toFixed(1)} MiB (baseline ${baseline.rssMiB.toFixed(1)} MiB), ${holding.flowing}/${streams} flowing`);
    } finally {
      await subject.stop();
    }
  }
  return runs;
};
