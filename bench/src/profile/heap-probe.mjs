// Loaded into a subject with `node --expose-gc --import` for the memory anatomy (e′). The first SIGUSR2 starts
// watching: it measures what is live (after a full collection), then runs V8's GC profiler and samples the heap's
// spaces every 10 ms, keeping the sample taken at the highest RSS. The second stops, measures what is live again, and
// writes it all to $DETOUR_BENCH_HEAP_PROBE as JSON. Nothing runs before the first signal.
import { writeFileSync } from 'node:fs';
import v8 from 'node:v8';

const output = process.env.DETOUR_BENCH_HEAP_PROBE;
const mib = (bytes) => bytes / 1048576;
let watching;

const sample = () => {
  const usage = process.memoryUsage();
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((space) => [space.space_name.replace(/_space$/, ''), { committed: mib(space.space_size), used: mib(space.space_used_size) }]));
  return { rss: mib(usage.rss), external: mib(usage.external), arrayBuffers: mib(usage.arrayBuffers), spaces };
};

const usedOf = (snapshot, name) => snapshot.heapSpaceStatistics.find((space) => space.spaceName === name)?.spaceUsedSize ?? 0;

const start = () => {
  // What is live before the streams: the program and its idle state, apart from what the streams will add.
  globalThis.gc?.();
  const liveIdleMiB = mib(process.memoryUsage().heapUsed);
  const profiler = new v8.GCProfiler();
  profiler.start();
  let peak = sample();
  const timer = setInterval(() => {
    const now = sample();
    if (now.rss > peak.rss) peak = now;
  }, 10);
  timer.unref();
  return () => {
    clearInterval(timer);
    const last = sample();
    if (last.rss > peak.rss) peak = last;
    const gcs = profiler.stop().statistics;
    // What a scavenge moved into the old generation: the old space's growth across it.
    const scavenges = gcs.filter((gc) => gc.gcType === 'Scavenge');
    const promoted = scavenges.reduce((sum, gc) => sum + Math.max(0, usedOf(gc.afterGC, 'old_space') - usedOf(gc.beforeGC, 'old_space')), 0);
    globalThis.gc?.();
    // What V8 itself has taken from malloc at most since the process started (compilers' and parser's zones, freed
    // when a job ends): what the C library may keep as RSS outside the heap after it is freed.
    const peakMallocedMiB = mib(v8.getHeapStatistics().peak_malloced_memory);
    return { peak, promotedMiB: mib(promoted), scavenges: scavenges.length, majorGcs: gcs.length - scavenges.length, liveIdleMiB, liveHeapMiB: mib(process.memoryUsage().heapUsed), peakMallocedMiB };
  };
};

if (output) {
  process.on('SIGUSR2', () => {
    if (!watching) {
      watching = start();
      return;
    }
    writeFileSync(output, JSON.stringify(watching()));
    watching = undefined;
  });
}
