import { readdirSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { Registry } from '../metrics/registry';

const one = (value: number) => [{ labels: {}, value }];

/**
 * Registers the process metrics operators expect from a Node service, under Prometheus' conventional names:
 * resident memory, heap in use, event-loop delay (p99 and max since the previous scrape, from `perf_hooks`), and open
 * file descriptors with their limit (Linux: `/proc/self/fd` and `/proc/self/limits`; omitted where they do not
 * exist). Node entry only: Workers have no process to describe. Returns the function that stops the event-loop
 * monitor.
 *
 * The monitor starts at the first scrape, which reports no delay (there was no previous scrape to measure from).
 * It samples on a 10 ms timer, waking the process a hundred times a second whether or not requests arrive: at 50
 * requests a second that nearly doubled the gateway's wake-ups per request (3.7 against the bare proxy's 2.0) and
 * added to every answer's latency, for a figure only a scraper reads.
 */
export const registerProcessMetrics = (registry: Registry): (() => void) => {
  let delay: IntervalHistogram | undefined;
  let stopped = false;
  registry.gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', () => one(process.memoryUsage.rss()));
  // From V8 rather than `process.memoryUsage()`, which reads the resident size too and so fails with the
  // descriptor table full.
  registry.gauge('nodejs_heap_size_used_bytes', 'V8 heap in use, in bytes.', () => one(getHeapStatistics().used_heap_size));
  registry.gauge('nodejs_heap_size_total_bytes', 'V8 heap allocated, in bytes.', () => one(getHeapStatistics().total_heap_size));
  // Read p99 and max together, then start a fresh window: each scrape describes the time since the last one.
  let window = { p99: 0, max: 0 };
  registry.gauge('nodejs_eventloop_lag_p99_seconds', 'Event-loop delay, 99th percentile since the previous scrape, in seconds.', () => {
    if (delay === undefined) {
      if (!stopped) {
        delay = monitorEventLoopDelay({ resolution: 10 });
        delay.enable();
      }
      return one(0);
    }
    window = { p99: delay.count > 0 ? delay.percentile(99) / 1e9 : 0, max: delay.count > 0 ? delay.max / 1e9 : 0 };
    delay.reset();
    return one(window.p99);
  });
  registry.gauge('nodejs_eventloop_lag_max_seconds', 'Event-loop delay, maximum since the previous scrape, in seconds.', () => one(window.max));
  const maxFds = openFilesLimit();
  if (maxFds !== undefined) registry.gauge('process_max_fds', 'Maximum number of open file descriptors.', () => one(maxFds));
  registry.gauge('process_open_fds', 'Open file descriptors.', () => {
    try {
      // The listing itself holds one descriptor open while it runs.
      return one(readdirSync('/proc/self/fd').length - 1);
    } catch (error) {
      // No descriptor is left for the listing: the table is full, which is when the figure matters most.
      if ((error as NodeJS.ErrnoException).code === 'EMFILE' && maxFds !== undefined) return one(maxFds);
      return [];
    }
  });
  return () => {
    stopped = true;
    delay?.disable();
  };
};

/** The soft limit on open files (`ulimit -n`, `LimitNOFILE`), read once: undefined off Linux or when unlimited. */
const openFilesLimit = (): number | undefined => {
  try {
    const line = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'latin1'));
    return line ? Number(line[1]) : undefined;
  } catch {
    return undefined;
  }
};
