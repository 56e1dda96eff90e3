import { describe, expect, it } from 'vitest';
import { closedBreaker, type BreakerOptions } from '../breaker/breaker';
import { resolvedEndpointSchema } from '../options/endpoint-schema';
import { routerOptionsSchema } from '../options/router-options-schema';
import type { EndpointState } from '../ports/state-store';
import { availablePool, freeInMs, wakeTime, type ChoiceRequest } from './choose-endpoint';
import type { Candidate } from './serving-endpoints';

// The choose step is pure: endpoint states, what the request has tried, and `now` in; a pool, a wake time and a
// retry-after out. No store, no clock, no transport.

const now = 1_000_000;
const breaker: BreakerOptions = routerOptionsSchema.parse({ endpoints: [{ name: 'x', baseUrl: 'https://x.example' }] }).breaker;
const candidate = (name: string, priority = 0): Candidate => {
  const endpoint = resolvedEndpointSchema.parse({ name, baseUrl: `https://${name}.example/v1`, priority });
  return { endpoint, name, priority, weight: endpoint.weight, upstreamModel: undefined };
};
const healthy: EndpointState = { breaker: closedBreaker, cooldownUntil: 0, modelCooldowns: Object.create(null), disabledUntil: 0, reason: undefined };
const cooling = (until: number): EndpointState => ({ ...healthy, cooldownUntil: until });
const open = (until: number): EndpointState => ({ ...healthy, breaker: { ...closedBreaker, position: 'open', openUntil: until } });
const disabled = (until: number): EndpointState => ({ ...healthy, disabledUntil: until });

const serving = [candidate('a'), candidate('b'), candidate('c', 1)];
const fresh = (extra: Partial<ChoiceRequest> = {}): ChoiceRequest => ({
  serving, model: 'gpt-4.1', tried: new Set(), retryAt: new Map(), passedOver: undefined, sameOnly: undefined, ...extra,
});
const names = (pool: readonly Candidate[]) => pool.map((entry) => entry.name);

describe('availablePool', () => {
  it('offers every healthy endpoint of every tier (selection picks the tier)', () => {
    expect(names(availablePool(fresh(), [healthy, healthy, healthy], now, breaker))).toEqual(['a', 'b', 'c']);
  });

  it('leaves out cooling, disabled and open endpoints', () => {
    const states = [cooling(now + 1000), disabled(now + 1000), open(now + 1000)];
    expect(availablePool(fresh(), states, now, breaker)).toEqual([]);
  });

  it('leaves out a tried endpoint until its retry time, then offers it again', () => {
    const request = fresh({ tried: new Set(['a', 'b']), retryAt: new Map([['a', now + 100]]) });
    const states = [healthy, healthy, healthy];
    expect(names(availablePool(request, states, now, breaker))).toEqual(['c']);
    expect(names(availablePool(request, states, now + 100, breaker))).toEqual(['a', 'c']);
  });

  it('offers only the same endpoint when the last failure forbids failing over', () => {
    expect(names(availablePool(fresh({ sameOnly: 'b' }), [healthy, healthy, healthy], now, breaker))).toEqual(['b']);
  });

  it('honours a cooldown of the requested model only', () => {
    const modelCooling: EndpointState = { ...healthy, modelCooldowns: Object.assign(Object.create(null), { 'gpt-4.1': now + 500 }) };
    const states = [modelCooling, healthy, healthy];
    expect(names(availablePool(fresh(), states, now, breaker))).toEqual(['b', 'c']);
    expect(names(availablePool(fresh({ model: 'other' }), states, now, breaker))).toEqual(['a', 'b', 'c']);
  });
});

describe('wakeTime', () => {
  it('wakes when the first endpoint the request may still use frees up', () => {
    const states = [cooling(now + 800), cooling(now + 300), cooling(now + 5000)];
    expect(wakeTime(fresh(), states, now, breaker)).toBe(now + 300);
  });

  it('waits for a tried endpoint only when it has a retry time, and not before it', () => {
    const states = [healthy, healthy, healthy];
    const request = fresh({ serving: serving.slice(0, 2), tried: new Set(['a', 'b']), retryAt: new Map([['b', now + 250]]) });
    expect(wakeTime(request, states, now, breaker)).toBe(now + 250);
  });

  it('never waits for a breaker to reopen, nor for a disabled endpoint', () => {
    expect(wakeTime(fresh(), [open(now + 5000), disabled(now + 60_000), open(now + 1000)], now, breaker)).toBe(Number.POSITIVE_INFINITY);
  });

  it('never wakes in the past or at once (at least 1 ms ahead)', () => {
    const request = fresh({ tried: new Set(['a']), retryAt: new Map([['a', now - 10]]), sameOnly: 'a' });
    expect(wakeTime(request, [healthy, healthy, healthy], now, breaker)).toBe(now + 1);
  });
});

describe('freeInMs', () => {
  it('tells how long until any endpoint frees up, breakers included', () => {
    expect(freeInMs('gpt-4.1', [open(now + 5000), cooling(now + 2000), disabled(now + 60_000)], now, breaker)).toBe(2000);
  });

  it('is at least 1 ms, and undefined without any endpoint', () => {
    expect(freeInMs('gpt-4.1', [healthy], now, breaker)).toBe(1);
    expect(freeInMs('gpt-4.1', [], now, breaker)).toBeUndefined();
  });
});
