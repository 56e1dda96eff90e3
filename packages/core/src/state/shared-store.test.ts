import { describe, expect, it } from 'vitest';
import type { BreakerOptions, BreakerState } from '../breaker/breaker';
import type { RetryBudgetOptions } from '../budget/retry-budget';
import { createRouter } from '../engine/router';
import { createFakeClock } from '../testing/fake-clock';
import type { FleetEndpointState } from './fleet-endpoint-state';
import type { SharedBreaker } from './shared-breaker';
import { createSharedStore, maxFleetOnlyEndpoints, type RemoteProbeAnswer, type RemoteState } from './shared-store';

const options: BreakerOptions = {
  consecutiveFailures: 1, failureRate: 0.5, minimumVolume: 10, windowMs: 30_000, windowBuckets: 10, openMs: 5000,
  openMultiplier: 2, maxOpenMs: 60_000, halfOpenProbes: 1, probeTimeoutMs: 30_000,
};
const budget: RetryBudgetOptions = { ratio: 0.2, minPerSecond: 5, ttlMs: 10_000 };
const fleetOf = (breaker: SharedBreaker | undefined, cooldownUntil = 0): FleetEndpointState =>
  ({ cooldownUntil, disabledUntil: 0, modelCooldowns: {}, reason: undefined, breaker });

/** A remote whose answers the test scripts, recording every call. */
const createScriptedRemote = () => {
  const calls: string[] = [];
  const background: Promise<unknown>[] = [];
  const script = {
    usable: true,
    takeProbe: (_before: BreakerState): Promise<RemoteProbeAnswer> => Promise.reject(new Error('unscripted')),
    transition: (_breaker: SharedBreaker): Promise<FleetEndpointState | undefined> => Promise.resolve(undefined),
    raiseDeadline: (): Promise<FleetEndpointState | undefined> => Promise.resolve(undefined),
    spendRetry: (): Promise<boolean> => Promise.resolve(true),
  };
  const failures: unknown[] = [];
  const remote: RemoteState = {
    usable: () => script.usable,
    run: (work) => void background.push(work().catch((error: unknown) => failures.push(error))),
    failed: (error) => void failures.push(error),
    takeProbe: (endpoint, _now, _options, before) => {
      calls.push(`take-probe ${endpoint} ${before.generation}`);
      return script.takeProbe(before);
    },
    releaseProbe: (endpoint, lease, transitioned) => void calls.push(`release ${endpoint} ${lease} ${transitioned}`),
    transition: (endpoint, breaker) => {
      calls.push(`transition ${endpoint} ${breaker.position} ${breaker.generation}`);
      return script.transition(breaker);
    },
    raiseDeadline: (endpoint, field, model, until) => {
      calls.push(`raise ${endpoint} ${field} ${model} ${until}`);
      return script.raiseDeadline();
    },
    deposit: () => void calls.push('deposit'),
    spendRetry: () => {
      calls.push('spend-retry');
      return script.spendRetry();
    },
  };
  return { remote, calls, script, failures, settled: () => Promise.all(background) };
};

/** A store whose `openai` breaker is open (generation 1) and due for a probe at the clock's time. */
const openStore = () => {
  const clock = createFakeClock(0);
  const scripted = createScriptedRemote();
  const store = createSharedStore(scripted.remote, { clock });
  store.recordResult('openai', { outcome: 'failure', generation: 0, probe: false, now: 0 }, options);
  clock.advance(options.openMs);
  scripted.calls.length = 0;
  return { clock, store, ...scripted };
};

describe('the shared store shell', () => {
  it('answers a closed breaker locally and synchronously, never asking the remote', () => {
    const clock = createFakeClock(0);
    const { remote, calls } = createScriptedRemote();
    const store = createSharedStore(remote, { clock });
    const admission = store.admit('openai', clock.now(), options);
    expect(admission).not.toBeInstanceOf(Promise);
    expect(admission).toMatchObject({ admitted: true, probe: false });
    const after = store.recordResult('openai', { outcome: 'success', generation: 0, probe: false, now: 0 }, options);
    expect(after).not.toBeInstanceOf(Promise);
    expect(calls).toEqual([]);
  });

  it('takes a due probe slot from the remote, mirrors the fleet probes and hands back the lease', async () => {
    const { store, clock, script, calls } = openStore();
    const now = clock.now();
    script.takeProbe = async (before) =>
      ({ verdict: 'admitted', fleet: undefined, generation: before.generation, probes: [now - 10, now], lease: 'mine' });
    const admission = await store.admit('openai', now, options);
    expect(admission).toMatchObject({ admitted: true, probe: true, generation: 1, lease: 'mine' });
    expect(calls).toEqual(['take-probe openai 1']);
    expect(store.read('openai').breaker).toMatchObject({ position: 'half_open', probes: [now - 10, now] });
  });

  it('refuses a probe while the fleet holds every slot', async () => {
    const { store, clock, script } = openStore();
    script.takeProbe = async (before) => ({ verdict: 'full', fleet: undefined, generation: before.generation, probes: [clock.now()] });
    expect(await store.admit('openai', clock.now(), options)).toMatchObject({ admitted: false, probe: false });
  });

  it('falls back to local admission, and reports the error, when the remote fails', async () => {
    const { store, clock, script, failures } = openStore();
    const error = new Error('down');
    script.takeProbe = () => Promise.reject(error);
    const admission = await store.admit('openai', clock.now(), options);
    expect(admission).toMatchObject({ admitted: true, probe: true, generation: 1 });
    expect(admission.lease).toBeUndefined();
    expect(failures).toEqual([error]);
  });

  it('adopts the fleet breaker before reading the verdict, and gives back a slot it cannot use', async () => {
    const { store, clock, script, calls } = openStore();
    script.takeProbe = async () => ({
      verdict: 'admitted', fleet: fleetOf({ position: 'closed', openUntil: 0, generation: 2, trips: 0 }), generation: 1, probes: [], lease: 'stale',
    });
    const admission = await store.admit('openai', clock.now(), options);
    expect(admission).toMatchObject({ admitted: true, probe: false, generation: 2 });
    expect(calls).toEqual(['take-probe openai 1', 'release openai stale false']);
  });

  it('releases only its own lease, never one it does not hold', async () => {
    const { store, clock, script, calls } = openStore();
    script.takeProbe = async (before) => ({ verdict: 'admitted', fleet: undefined, generation: before.generation, probes: [clock.now()], lease: 'mine' });
    await store.admit('openai', clock.now(), options);
    calls.length = 0;
    // Another request's lease (or a locally admitted probe's) frees nothing in the remote.
    store.recordResult('openai', { outcome: 'neutral', generation: 1, probe: true, now: clock.now(), lease: 'theirs' }, options);
    store.recordResult('openai', { outcome: 'neutral', generation: 1, probe: true, now: clock.now() }, options);
    expect(calls).toEqual([]);
    store.recordResult('openai', { outcome: 'neutral', generation: 1, probe: true, now: clock.now(), lease: 'mine' }, options);
    store.recordResult('openai', { outcome: 'neutral', generation: 1, probe: true, now: clock.now(), lease: 'mine' }, options);
    expect(calls).toEqual(['release openai mine false']);
  });

  it('sends a generation change as a transition and adopts the answer', async () => {
    const clock = createFakeClock(0);
    const { remote, calls, script, settled } = createScriptedRemote();
    const store = createSharedStore(remote, { clock });
    script.transition = async () => fleetOf({ position: 'open', openUntil: 90_000, generation: 4, trips: 3 });
    store.recordResult('openai', { outcome: 'failure', generation: 0, probe: false, now: 0 }, options);
    expect(calls).toEqual(['transition openai open 1']);
    await settled();
    expect(store.read('openai').breaker).toMatchObject({ position: 'open', generation: 4, openUntil: 90_000 });
  });

  it('raises cooldowns and disables in the remote and adopts a later deadline it answers with', async () => {
    const clock = createFakeClock(0);
    const { remote, calls, script, settled } = createScriptedRemote();
    const store = createSharedStore(remote, { clock });
    script.raiseDeadline = async () => fleetOf(undefined, 20_000);
    store.coolDown('openai', 10_000, undefined, 'rate_limited');
    store.disable('azure', 30_000, 'quota');
    expect(store.read('openai').cooldownUntil).toBe(10_000);
    expect(calls).toEqual(['raise openai cooldown undefined 10000', 'raise azure disable undefined 30000']);
    await settled();
    expect(store.read('openai').cooldownUntil).toBe(20_000);
  });

  it('spends retries in the remote, keeps the local budget in step, and falls back to it on error', async () => {
    const clock = createFakeClock(0);
    const { remote, calls, script, failures } = createScriptedRemote();
    const store = createSharedStore(remote, { clock });
    store.depositRequest(0, budget);
    script.spendRetry = async () => false;
    expect(await store.spendRetry(0, budget)).toBe(false);
    script.spendRetry = () => Promise.reject(new Error('down'));
    expect(await store.spendRetry(0, budget)).toBe(true);
    expect(failures).toHaveLength(1);
    script.usable = false;
    expect(await store.spendRetry(0, budget)).toBe(true);
    expect(calls).toEqual(['deposit', 'spend-retry', 'spend-retry']);
  });

  it('keeps at most maxFleetOnlyEndpoints endpoints it heard of only from the fleet, and every one it routes to', () => {
    // Attack 7, R7: messages naming endpoints nobody configured grew every member's local map without bound.
    const clock = createFakeClock(0);
    const store = createSharedStore(createScriptedRemote().remote, { clock });
    for (let index = 0; index < maxFleetOnlyEndpoints + 500; index += 1) store.adopt(`invented-${index}`, fleetOf(undefined, 60_000));
    expect([...store.entries()]).toHaveLength(maxFleetOnlyEndpoints);
    // An endpoint already in the view still takes the fleet's news, and one this instance routes to is always kept.
    store.adopt('invented-0', fleetOf(undefined, 90_000));
    expect(store.read('invented-0').cooldownUntil).toBe(90_000);
    store.coolDown('openai', 10_000, undefined, 'rate_limited');
    store.adopt('openai', fleetOf(undefined, 20_000));
    expect(store.read('openai').cooldownUntil).toBe(20_000);
    store.adopt('invented-late', fleetOf(undefined, 60_000));
    expect(store.read('invented-late').cooldownUntil).toBe(0);
  });

  it('takes the fleet\'s state for an endpoint a router tracks, however many names the fleet knows (attack 19, F4)', () => {
    // Names of old configurations filled the bound before a new instance's own endpoints, whose open breaker it
    // then did not hear of: its first request went to the endpoint the fleet held open.
    const clock = createFakeClock(0);
    const store = createSharedStore(createScriptedRemote().remote, { clock });
    for (let index = 0; index < maxFleetOnlyEndpoints; index += 1) store.adopt(`old-config-${index}`, fleetOf(undefined, 60_000));
    createRouter({ endpoints: [{ name: 'openai', baseUrl: 'https://api.openai.com/v1' }] }, { transport: async () => Promise.reject(new Error('unused')), clock, store });
    expect([...store.tracked]).toEqual(['openai']);
    store.adopt('openai', fleetOf({ position: 'open', openUntil: 60_000, generation: 3, trips: 1 }));
    expect(store.read('openai').breaker).toMatchObject({ position: 'open', openUntil: 60_000 });
  });
});
