// Samples the gateway once per interval: RSS, descriptors and its listener's accept queue from /proc, heap used and event-loop delay from the
// gateway itself over IPC. A sample the gateway does not answer within 2 s is counted, not waited for.
import { performance } from 'node:perf_hooks';
import { cpuSeconds } from '../process-cpu.mjs';
import { acceptQueue, countFds, readRssMiB } from './process-resources.mjs';

/**
 * @param {{ pid: number, url: string, sample: () => Promise<object | undefined> }} gateway
 * @param {number} intervalMs
 */
export const startSampler = (gateway, intervalMs) => {
  const samples = [];
  let unanswered = 0;
  let busy = false;
  const startedAt = performance.now();
  const take = async () => {
    if (busy) return;
    busy = true;
    const atMs = performance.now() - startedAt;
    const rssMiB = readRssMiB(gateway.pid);
    const fds = countFds(gateway.pid);
    const accepting = acceptQueue(Number(new URL(gateway.url).port));
    let cpu = Number.NaN;
    try {
      cpu = cpuSeconds(gateway.pid);
    } catch {
      // the process is gone
    }
    const inner = await gateway.sample();
    if (!inner) unanswered += 1;
    samples.push({
      atMs,
      rssMiB,
      fds,
      acceptQueue: accepting,
      cpuSeconds: cpu,
      heapMiB: inner ? inner.heapUsed / 1024 / 1024 : Number.NaN,
      delayP99Ms: inner?.delayP99Ms ?? Number.NaN,
      delayMaxMs: inner?.delayMaxMs ?? Number.NaN,
    });
    busy = false;
  };
  void take();
  const timer = setInterval(() => void take(), intervalMs);
  return {
    samples,
    unanswered: () => unanswered,
    stop: () => clearInterval(timer),
  };
};
