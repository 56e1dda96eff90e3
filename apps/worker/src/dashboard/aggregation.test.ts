import type { EndpointHealth, Router, RouterEvent } from '@detour/core';
import { describe, expect, it } from 'vitest';
import { createCostLedger } from './cost-ledger';
import { createDashboardCollector } from './dashboard-collector';
import { quantile, emptyHistogram, observe } from './latency-histogram';
import { createRingBuffer } from './ring-buffer';
import { createTimeBuckets } from './time-buckets';
import { createTimeline } from './timeline';
import { createTrafficWindow } from './traffic-window';

const usage = { inputTokens: 10, cachedInputTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, outputTokens: 5, reasoningTokens: 0 };
const cost = (at: number, fields: Partial<Extract<RouterEvent, { type: 'cost-record' }>> = {}): Extract<RouterEvent, { type: 'cost-record' }> => ({
  type: 'cost-record', endpoint: 'primary', model: 'gpt-4.1', api: 'chat', usage, costUsd: 0.01, outcome: 'success', estimated: false, at, ...fields,
});
const attemptEnd = (at: number, fields: Partial<Extract<RouterEvent, { type: 'attempt-end' }>> = {}): Extract<RouterEvent, { type: 'attempt-end' }> => ({
  type: 'attempt-end', endpoint: 'primary', attempt: 1, model: 'gpt-4.1', api: 'chat', kind: 'success', status: 200, durationMs: 100, reason: 'ok', at, ...fields,
});
const requestEnd = (at: number, endpoint: string, firstByteMs = 50): RouterEvent => ({
  type: 'request-end', ok: true, endpoint, attempts: 1, durationMs: 100, firstByteMs, stream: false, api: 'chat', code: undefined, at,
});

describe('time buckets', () => {
  const counter = () => createTimeBuckets({ bucketMs: 1000, buckets: 5, maxKeys: 2, overflowKey: 'other', create: () => ({ count: 0 }) });
  const sum = (entries: Iterable<[string, { count: number }]>) => {
    const totals: Record<string, number> = {};
    for (const [key, value] of entries) totals[key] = (totals[key] ?? 0) + value.count;
    return totals;
  };

  it('sums the buckets a window overlaps and forgets what fell out of the ring', () => {
    const buckets = counter();
    buckets.at(0, 'a').count += 1;
    buckets.at(2500, 'a').count += 1;
    buckets.at(4999, 'b').count += 1;
    expect(sum(buckets.within(2000, 4999))).toEqual({ a: 1, b: 1 });
    expect(sum(buckets.within(10_000, 4999))).toEqual({ a: 2, b: 1 });
    // Five seconds later the first bucket's slot is reused: its count is gone, not added to the new one.
    buckets.at(5000, 'a').count += 1;
    expect(sum(buckets.within(10_000, 5000))).toEqual({ a: 2, b: 1 });
    expect(sum(buckets.within(10_000, 20_000))).toEqual({});
  });

  it('counts keys past the cap under the overflow key, and ignores times older than the ring', () => {
    const buckets = counter();
    for (const key of ['a', 'b', 'c', 'd']) buckets.at(100, key).count += 1;
    expect(sum(buckets.within(1000, 100))).toEqual({ a: 1, b: 1, other: 2 });
    buckets.at(10_000, 'a').count += 1;
    buckets.at(100, 'late').count += 1; // its slot now holds a newer bucket
    expect(sum(buckets.within(1000, 10_000))).toEqual({ a: 1 });
  });
});

describe('latency histogram', () => {
  it('reads quantiles within a bucket, and nothing from an empty one', () => {
    const histogram = emptyHistogram();
    expect(quantile(histogram, 0.5)).toBeUndefined();
    for (let index = 0; index < 99; index += 1) observe(histogram, 80);
    observe(histogram, 2500);
    expect(quantile(histogram, 0.5)).toBeGreaterThan(75);
    expect(quantile(histogram, 0.5)).toBeLessThanOrEqual(100);
    expect(quantile(histogram, 0.99)).toBeLessThanOrEqual(100);
    expect(quantile(histogram, 1)).toBeGreaterThan(2000);
    observe(histogram, 10_000_000);
    expect(quantile(histogram, 1)).toBe(120_000);
  });
});

describe('ring buffer', () => {
  it('keeps the newest items, oldest first', () => {
    const ring = createRingBuffer<number>(3);
    expect(ring.toArray()).toEqual([]);
    for (const item of [1, 2, 3, 4, 5]) ring.push(item);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.last()).toBe(5);
  });
});

describe('cost ledger', () => {
  it('sums spend by endpoint, model and key over a window, wasted spend apart', () => {
    const ledger = createCostLedger();
    const minute = 60_000;
    const start = 1_000 * minute;
    ledger.record(cost(start, { caller: 'team-a' }));
    ledger.record(cost(start + 1000, { caller: 'team-a', outcome: 'failed', costUsd: 0.002, estimated: true }));
    ledger.record(cost(start + 2000, { caller: 'team-b', endpoint: 'backup', costUsd: 0.03 }));
    ledger.record(cost(start + 3000, { caller: undefined, outcome: 'abandoned', costUsd: 0.001 }));
    ledger.record(cost(start + 4000, { caller: 'team-a', costUsd: undefined, model: 'unpriced-model' }));
    ledger.record(cost(start - 90 * minute, { caller: 'team-a', costUsd: 5 }));

    const hour = ledger.summary(60 * minute, start + 5000);
    expect(hour.windowSeconds).toBe(3600);
    expect(hour.totalUsd).toBeCloseTo(0.043, 10);
    expect(hour.wastedUsd).toBeCloseTo(0.002, 10);
    expect(hour.byEndpoint.map((row) => [row.endpoint, Number(row.totalUsd.toFixed(6))])).toEqual([['backup', 0.03], ['primary', 0.013]]);
    expect(hour.byKey.map((row) => [row.key, Number(row.totalUsd.toFixed(6))])).toEqual([['team-b', 0.03], ['team-a', 0.012], [null, 0.001]]);
    const primaryA = hour.rows.find((row) => row.endpoint === 'primary' && row.model === 'gpt-4.1' && row.key === 'team-a')!;
    expect(primaryA).toMatchObject({ successUsd: 0.01, failedUsd: 0.002, records: 2, unpriced: 0 });
    expect(hour.rows.find((row) => row.model === 'unpriced-model')).toMatchObject({ records: 1, unpriced: 1, totalUsd: 0 });
    // Two hours back, the old record counts too; a day later, nothing does.
    expect(ledger.summary(120 * minute, start + 5000).totalUsd).toBeCloseTo(5.043, 10);
    expect(ledger.summary(24 * 60 * minute, start + 25 * 60 * minute).rows).toEqual([]);
  });

  it('keeps spend with the key that sent it whatever characters its model name holds', () => {
    const ledger = createCostLedger();
    ledger.record(cost(60_000, { caller: 'team-a', model: 'gpt-4.1-mini-x\u0000team-b', costUsd: 0.002 }));
    ledger.record(cost(60_000, { caller: 'team-b', costUsd: 0.001 }));
    const summary = ledger.summary(60_000, 60_000);
    expect(summary.byKey.map((row) => [row.key, row.totalUsd])).toEqual([['team-a', 0.002], ['team-b', 0.001]]);
    expect(summary.rows.find((row) => row.key === 'team-a')?.model).toBe('gpt-4.1-mini-x\u0000team-b');
  });

  it('keeps at most 64 rows a minute, counting the rest under their endpoint and key, so every sum stays right', () => {
    const ledger = createCostLedger();
    for (let index = 0; index < 500; index += 1) ledger.record(cost(60_000, { model: `model-${index}`, costUsd: 0.001 }));
    const summary = ledger.summary(60_000, 60_000);
    expect(summary.rows.length).toBe(65);
    expect(summary.totalUsd).toBeCloseTo(0.5, 10);
    expect(summary.rows.find((row) => row.model === '(other models)')).toMatchObject({ endpoint: 'primary', records: 436 });
  });

  it("keeps each key's and endpoint's spend its own when one caller's model names fill the minute (attack 13)", () => {
    // Team A's 64 free junk names filled the minute; every later record, team B's too, went to one `other` row
    // under endpoint `other` and key `other`: team A's own spend and team B's left their keys.
    const ledger = createCostLedger();
    for (let index = 0; index < 64; index += 1) ledger.record(cost(60_000, { caller: 'team-a', model: `junk-${index}`, costUsd: 0 }));
    for (let index = 0; index < 20; index += 1) ledger.record(cost(60_000, { caller: 'team-a', endpoint: 'ep0', costUsd: 0.001 }));
    for (let index = 0; index < 5; index += 1) ledger.record(cost(60_000, { caller: 'team-b', endpoint: 'ep1', costUsd: 0.002 }));
    const summary = ledger.summary(60_000, 60_000);
    expect(Object.fromEntries(summary.byKey.map((row) => [row.key, row.totalUsd]))).toEqual({ 'team-a': expect.closeTo(0.02, 10), 'team-b': expect.closeTo(0.01, 10) });
    expect(summary.byEndpoint.map((row) => row.endpoint).sort()).toEqual(['ep0', 'ep1', 'primary']);
  });

  it('lists the largest 1,000 rows and models of a summary and says how many it left out; totals stay whole', () => {
    const ledger = createCostLedger();
    for (let minute = 1; minute <= 20; minute += 1) {
      for (let index = 0; index < 60; index += 1) ledger.record(cost(minute * 60_000, { model: `m-${minute}-${index}`, costUsd: index === 0 ? 1 : 0.001 }));
    }
    const summary = ledger.summary(3_600_000, 20 * 60_000);
    expect(summary.rows.length).toBe(1000);
    expect(summary.rowsOmitted).toBe(200);
    expect(summary.byModel.length).toBe(1000);
    expect(summary.modelsOmitted).toBe(200);
    expect(summary.rows.slice(0, 20).every((row) => row.totalUsd === 1)).toBe(true);
    expect(summary.totalUsd).toBeCloseTo(20 + 20 * 59 * 0.001, 8);
    expect(summary.byEndpoint[0]!.totalUsd).toBeCloseTo(summary.totalUsd, 8);
  });
});

describe('traffic window', () => {
  it('gives shares, success rates and latency quantiles over the last five minutes only', () => {
    const traffic = createTrafficWindow();
    const now = 10 * 60_000;
    for (let index = 0; index < 3; index += 1) traffic.record(attemptEnd(now - 1000, { kind: 'rate_limited', status: 429, durationMs: 20 }));
    for (let index = 0; index < 3; index += 1) {
      traffic.record(attemptEnd(now - 900, { endpoint: 'backup', durationMs: 400 }));
      traffic.record(requestEnd(now - 900, 'backup', 150));
    }
    traffic.record(requestEnd(now - 800, 'primary'));
    traffic.record(attemptEnd(now - 800, { kind: 'aborted' })); // the caller's doing, not the endpoint's
    traffic.record(requestEnd(now - 6 * 60_000, 'primary')); // out of the window

    const view = traffic.read(now);
    expect(view.served).toBe(4);
    expect(view.endpoints.get('backup')).toMatchObject({ served: 3, attempts: 3, successRate: 1 });
    expect(view.endpoints.get('primary')).toMatchObject({ served: 1, attempts: 3, successes: 0, successRate: 0 });
    expect(view.endpoints.get('backup')!.p50Ms).toBeGreaterThan(300);
    expect(view.endpoints.get('backup')!.firstByteP50Ms).toBeGreaterThan(100);
    expect(view.models.get('primary')?.get('gpt-4.1')).toMatchObject({ attempts: 3, successRate: 0 });
    expect(traffic.read(now + 5 * 60_000).served).toBe(0);
  });

  it("counts an endpoint's models past the cap under its own `(other models)`, so its failures still show (attack 13)", () => {
    const traffic = createTrafficWindow();
    const now = 10 * 60_000;
    for (let index = 0; index < 128; index += 1) traffic.record(attemptEnd(now - 1000, { model: `junk-${index}` }));
    for (let index = 0; index < 40; index += 1) traffic.record(attemptEnd(now - 900, { model: 'gpt-4.1-mini', kind: 'server_error', status: 500 }));
    const view = traffic.read(now);
    expect(view.endpoints.get('primary')).toMatchObject({ attempts: 168, successes: 128 });
    expect(view.models.get('primary')?.get('(other models)')).toMatchObject({ attempts: 40, successRate: 0 });
    expect([...view.endpoints.keys()]).toEqual(['primary']);
  });
});

describe('traffic window and timeline, told how streams end (attack 20)', () => {
  const streamEnd = (at: number, outcome: Extract<RouterEvent, { type: 'stream-end' }>['outcome'], reason?: string): RouterEvent => ({
    type: 'stream-end', endpoint: 'primary', model: 'gpt-4.1', api: 'chat', outcome, reason, durationMs: 400, at, firstByteMs: 5,
  });

  it('takes back the success of a stream cut or stalled after its first event, and files its first byte under who sent it', () => {
    const traffic = createTrafficWindow();
    const now = 10 * 60_000;
    for (let index = 0; index < 4; index += 1) traffic.record(attemptEnd(now - 1000, { durationMs: 5 }));
    traffic.record(streamEnd(now - 500, 'interrupted', 'reset'));
    traffic.record(streamEnd(now - 500, 'stalled'));
    traffic.record(streamEnd(now - 500, 'client_closed'));
    traffic.record(streamEnd(now - 500, 'complete'));
    traffic.record({ ...requestEnd(now - 400, 'backup', 21), firstByteEndpoint: 'primary' } as RouterEvent);
    const view = traffic.read(now);
    expect(view.endpoints.get('primary')).toMatchObject({ attempts: 4, successes: 2, successRate: 0.5, firstByteP50Ms: expect.any(Number) });
    expect(view.endpoints.get('backup')).toMatchObject({ served: 1, firstByteP50Ms: null });
  });

  it('says why a breaker opened: the attempt that tripped it (reported after the opening), or the stream cut before it', () => {
    const timeline = createTimeline();
    timeline.record(streamEnd(1000, 'interrupted', 'The stream from "primary" was interrupted: socket hang up'));
    timeline.record({ type: 'breaker-change', endpoint: 'primary', from: 'closed', to: 'open', openUntil: 9000, at: 1000 });
    expect(timeline.read(2000)[0]).toMatchObject({ kind: 'breaker', reason: 'The stream from "primary" was interrupted: socket hang up' });
    // Core's order for an attempt: an earlier failure, the opening, then the attempt that tripped it (review).
    timeline.record(attemptEnd(20_000, { kind: 'server_error', status: 500, reason: 'HTTP 500 server_error' }));
    timeline.record({ type: 'breaker-change', endpoint: 'primary', from: 'half_open', to: 'open', openUntil: 30_000, at: 21_000 });
    timeline.record(attemptEnd(21_000, { kind: 'network', status: undefined, reason: 'network: ECONNRESET' }));
    expect(timeline.read(22_000)[0]).toMatchObject({ kind: 'breaker', at: 21_000, reason: 'network: ECONNRESET' });
  });

  it('takes a long stream\'s success back in the bucket where it began, or not at all once that has left the window (reviews)', () => {
    const traffic = createTrafficWindow();
    traffic.record(attemptEnd(1000, { durationMs: 5 }));
    traffic.record(attemptEnd(390_000, { durationMs: 5 }));
    traffic.record({ ...(streamEnd(400_000, 'interrupted', 'reset') as Extract<RouterEvent, { type: 'stream-end' }>), durationMs: 399_005 });
    expect(traffic.read(400_000).endpoints.get('primary')).toMatchObject({ attempts: 1, successes: 1, successRate: 1 });
    // A first event 45 s after the start, a cut at 60 s: the cut lands where the success did, and leaves with it.
    const late = createTrafficWindow();
    late.record(attemptEnd(545_000, { durationMs: 45_000 }));
    late.record({ ...(streamEnd(560_000, 'interrupted', 'reset') as Extract<RouterEvent, { type: 'stream-end' }>), durationMs: 60_000, firstByteMs: 45_000 });
    expect(late.read(560_000).endpoints.get('primary')).toMatchObject({ attempts: 1, successes: 0 });
    expect(late.read(830_000).endpoints.get('primary')).toMatchObject({ attempts: 1, successes: 0 });
    expect(late.read(900_000).endpoints.get('primary')).toBeUndefined();
  });
});

describe('timeline', () => {
  it('records breaker changes and cooldowns with the provider signal, folds failover storms, and shows a cooldown end', () => {
    const timeline = createTimeline();
    timeline.record({ type: 'cooldown-start', endpoint: 'primary', model: 'gpt-4.1', until: 16_000, disabled: false, reason: 'rate_limit_exceeded', at: 1000, delaySource: 'retry-after', delayMs: 15_000 });
    timeline.record({ type: 'cooldown-start', endpoint: 'backup', model: undefined, until: 6000, disabled: false, reason: 'overloaded', at: 1000 });
    timeline.record(attemptEnd(1000, { kind: 'rate_limited', status: 429 }));
    for (let index = 0; index < 50; index += 1) timeline.record({ type: 'failover', from: 'primary', to: 'backup', reason: 'rate_limited', at: 1000 + index * 100 });
    timeline.record({ type: 'breaker-change', endpoint: 'backup', from: 'closed', to: 'open', openUntil: 9000, at: 7000 });

    const during = timeline.read(10_000);
    expect(during.map((entry) => entry.kind)).toEqual(['breaker', 'cooldown-end', 'failover', 'cooldown', 'cooldown']);
    expect(during[0]!.text).toBe('Breaker closed → open');
    expect(during[2]).toMatchObject({ count: 50, text: 'Failover to backup (×50)' });
    expect(during[3]).toMatchObject({ endpoint: 'backup', signal: 'no delay given (Detour default)', text: 'Cooling for 5 s' });
    expect(during[4]).toMatchObject({ signal: 'HTTP 429, retry-after 15 s', reason: 'rate_limit_exceeded', text: 'Cooling (model gpt-4.1) for 15 s' });
    expect(timeline.lastCooldown('primary')?.signal).toBe('HTTP 429, retry-after 15 s');

    const after = timeline.read(20_000);
    expect(after[0]).toMatchObject({ kind: 'cooldown-end', at: 16_000, endpoint: 'primary' });
    expect(timeline.read(30_000).filter((entry) => entry.kind === 'cooldown-end')).toHaveLength(2);
  });

  it('keeps the newest 200 entries', () => {
    const timeline = createTimeline();
    for (let index = 0; index < 500; index += 1) timeline.record({ type: 'breaker-change', endpoint: 'e', from: 'closed', to: 'open', openUntil: 0, at: index });
    const entries = timeline.read(1000);
    expect(entries).toHaveLength(200);
    expect(entries[0]!.at).toBe(499);
  });
});

describe('dashboard collector', () => {
  const health = (name: string, fields: Partial<EndpointHealth> = {}): EndpointHealth => ({
    name, priority: 0, weight: 1, breaker: 'closed', breakerOpenUntil: 0, cooldownUntil: 0, restingUntil: 0, modelCooldowns: {}, disabledUntil: 0, reason: undefined,
    available: true, pending: 0, apis: ['chat'], quota: {}, quotaResetMs: {}, ...fields,
  });
  const fakeRouter = (endpoints: () => EndpointHealth[]) => {
    const listeners = new Set<(event: RouterEvent) => void>();
    const router = {
      subscribe: (listener: (event: RouterEvent) => void) => {
        listeners.add(listener);
        return { dispose: () => void listeners.delete(listener) };
      },
      health: async () => endpoints(),
      admission: () => undefined,
    } as unknown as Router;
    return { router, emit: (event: RouterEvent) => listeners.forEach((listener) => listener(event)), listeners };
  };

  it('joins endpoint state with the window, spend and timeline, and stops listening when disposed', async () => {
    let clock = 100_000;
    const { router, emit, listeners } = fakeRouter(() => [
      health('primary', { available: false, modelCooldowns: { 'gpt-4.1': 115_000 }, reason: 'rate_limit_exceeded' }),
      health('backup', { priority: 1 }),
    ]);
    const collector = createDashboardCollector(router, () => clock);
    emit({ type: 'cooldown-start', endpoint: 'primary', model: 'gpt-4.1', until: 115_000, disabled: false, reason: 'rate_limit_exceeded', at: clock, delaySource: 'retry-after-ms', delayMs: 15_000 });
    emit(attemptEnd(clock, { kind: 'rate_limited', status: 429 }));
    emit({ type: 'failover', from: 'primary', to: 'backup', reason: 'rate_limited', at: clock });
    emit(attemptEnd(clock, { endpoint: 'backup' }));
    emit(cost(clock, { endpoint: 'backup', caller: 'team-a', costUsd: 0.02 }));
    emit(requestEnd(clock, 'backup'));

    const state = await collector.state();
    const [primary, backup] = state.endpoints;
    expect(primary).toMatchObject({ state: 'cooling', cooldownUntil: 115_000, signal: 'HTTP 429, retry-after-ms 15 s', reason: 'rate_limit_exceeded', trafficShare: 0 });
    expect(backup).toMatchObject({ state: 'ready', cooldownUntil: null, trafficShare: 1, served: 1, spendUsd: 0.02, wastedUsd: 0 });
    expect(backup!.models).toMatchObject([{ model: 'gpt-4.1', attempts: 1, spendUsd: 0.02 }]);
    expect(state.spend.byKey).toMatchObject([{ key: 'team-a', totalUsd: 0.02 }]);
    expect(state.timeline.map((entry) => entry.kind)).toEqual(['failover', 'cooldown']);
    expect(collector.costs(3_600_000).totalUsd).toBeCloseTo(0.02, 10);

    clock = 120_000;
    expect((await collector.state()).timeline[0]).toMatchObject({ kind: 'cooldown-end' });
    collector.dispose();
    expect(listeners.size).toBe(0);
  });

  it("lists an endpoint's 100 busiest models and counts the rest, with spend summed in one pass (attack 13)", async () => {
    const clock = 3_600_000;
    const { router, emit } = fakeRouter(() => [health('primary')]);
    const collector = createDashboardCollector(router, () => clock);
    // Ten minutes of 64 distinct priced names each, and attempts under 128 more.
    for (let minute = 0; minute < 10; minute += 1) {
      for (let index = 0; index < 64; index += 1) emit(cost(clock - minute * 60_000, { model: `spent-${minute}-${index}`, costUsd: 0.001 }));
    }
    for (let index = 0; index < 128; index += 1) emit(attemptEnd(clock, { model: `tried-${index}` }));
    const [primary] = (await collector.state()).endpoints;
    expect(primary!.models.length).toBe(100);
    expect(primary!.modelsOmitted).toBe(640 + 128 - 100);
    expect(primary!.spendUsd).toBeCloseTo(0.64, 8);
    expect(primary!.models[0]).toMatchObject({ attempts: 1, spendUsd: 0 });
  });
});
