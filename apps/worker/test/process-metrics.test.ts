import { afterEach, describe, expect, it, vi } from 'vitest';

// A stand-in for perf_hooks' monitor: records whether it was made and enabled, and serves a fixed histogram.
const monitor = vi.hoisted(() => ({
  made: 0,
  enabled: false,
  resets: 0,
  count: 0,
}));

vi.mock('node:perf_hooks', async (importOriginal) => ({
  ...(await importOriginal<typeof import('node:perf_hooks')>()),
  monitorEventLoopDelay: () => {
    monitor.made += 1;
    return {
      enable: () => (monitor.enabled = true),
      disable: () => (monitor.enabled = false),
      reset: () => (monitor.resets += 1),
      get count() {
        return monitor.count;
      },
      percentile: () => 12_000_000,
      max: 40_000_000,
    };
  },
}));

// The descriptor listing fails with EMFILE when `fds.full` (the table is full: the listing needs a descriptor too).
const fds = vi.hoisted(() => ({ full: false }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    readdirSync: ((...args: Parameters<typeof fs.readdirSync>) => {
      if (fds.full) throw Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' });
      return fs.readdirSync(...args);
    }) as typeof fs.readdirSync,
  };
});

const { registerProcessMetrics } = await import('../src/node/process-metrics');
const { createRegistry } = await import('../src/metrics/registry');

const gauge = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)![1]);

describe('process metrics', () => {
  afterEach(() => Object.assign(monitor, { made: 0, enabled: false, resets: 0, count: 0 }));

  it('starts the event-loop monitor at the first scrape, never before, and stops it', () => {
    const registry = createRegistry();
    const stop = registerProcessMetrics(registry);
    // Nobody has scraped: no 10 ms timer wakes the process.
    expect(monitor.made).toBe(0);

    const first = registry.render();
    expect(monitor).toMatchObject({ made: 1, enabled: true });
    // Nothing was measured before the first scrape: it reads no delay rather than an invented one.
    expect(gauge(first, 'nodejs_eventloop_lag_p99_seconds')).toBe(0);
    expect(gauge(first, 'nodejs_eventloop_lag_max_seconds')).toBe(0);

    monitor.count = 5;
    const second = registry.render();
    expect(monitor.made).toBe(1);
    expect(gauge(second, 'nodejs_eventloop_lag_p99_seconds')).toBe(0.012);
    expect(gauge(second, 'nodejs_eventloop_lag_max_seconds')).toBe(0.04);
    // Each scrape describes the time since the previous one.
    expect(monitor.resets).toBe(1);

    stop();
    expect(monitor.enabled).toBe(false);
  });

  it('reports the descriptor limit, and the open count at that limit when the table is full, not nothing', () => {
    const registry = createRegistry();
    const stop = registerProcessMetrics(registry);
    const limit = gauge(registry.render(), 'process_max_fds');
    expect(limit).toBeGreaterThan(0);
    expect(gauge(registry.render(), 'process_open_fds')).toBeLessThan(limit);
    fds.full = true;
    // Resident memory is read through a descriptor too: with none left it fails, and the rest of the scrape stands.
    const rss = vi.spyOn(process.memoryUsage, 'rss').mockImplementation(() => {
      throw Object.assign(new Error('EMFILE: too many open files, uv_resident_set_memory'), { code: 'EMFILE' });
    });
    try {
      const scrape = registry.render();
      expect(gauge(scrape, 'process_open_fds')).toBe(limit);
      expect(scrape).not.toMatch(/^process_resident_memory_bytes /m);
      expect(gauge(scrape, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    } finally {
      rss.mockRestore();
      fds.full = false;
      stop();
    }
  });

  it('never starts the monitor once stopped', () => {
    const registry = createRegistry();
    registerProcessMetrics(registry)();
    expect(gauge(registry.render(), 'nodejs_eventloop_lag_p99_seconds')).toBe(0);
    expect(monitor.made).toBe(0);
  });
});
