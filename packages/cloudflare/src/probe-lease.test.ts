import { env } from 'cloudflare:test';
import type { BreakerOptions, EndpointState } from '@detour/core/store';
import { createFakeClock } from '@detour/core/testing';
import { describe, expect, it } from 'vitest';
import { createDurableObjectStore, type StateObjectNamespace } from './durable-object-store';
import { operationUrl } from './state-object-protocol';

// A probe's result frees the slot it was admitted under in the object, and only that one: a probe admitted on
// local state (the object did not answer) used to free the oldest slot in the object, another request's.

const options: BreakerOptions = {
  consecutiveFailures: 1, failureRate: 0.5, minimumVolume: 10, windowMs: 30_000, windowBuckets: 10, openMs: 1000,
  openMultiplier: 2, maxOpenMs: 60_000, halfOpenProbes: 2, probeTimeoutMs: 30_000,
};

describe('probe leases in the Durable Object store', () => {
  it("never frees another request's slot when a probe admitted after a failed call reports", async () => {
    let failTakeProbe = false;
    const namespace: StateObjectNamespace = {
      idFromName: (name) => env.DETOUR_STATE.idFromName(name),
      get: (id) => {
        const stub = env.DETOUR_STATE.get(id);
        return {
          fetch: (input, init) => {
            if (failTakeProbe && input.endsWith('/take-probe')) {
              failTakeProbe = false;
              return Promise.reject(new Error('injected: the object did not answer'));
            }
            return stub.fetch(input, init);
          },
        };
      },
    };
    const clock = createFakeClock();
    const store = createDurableObjectStore({ namespace, name: 'lease-1', clock });
    const probesInObject = async () => {
      const response = await env.DETOUR_STATE.get(env.DETOUR_STATE.idFromName('lease-1') as never)
        .fetch(operationUrl('sync'), { method: 'POST', body: JSON.stringify({ deposits: [], budget: undefined }) });
      return ((await response.json()) as Record<string, EndpointState>).primary?.breaker.probes;
    };

    const now = clock.now();
    const first = await store.admit('primary', now, options);
    const opened = await store.recordResult('primary', { outcome: 'failure', generation: first.generation, probe: false, now }, options);
    await store.settled();

    const held = await store.admit('primary', opened.openUntil, options);
    expect(held).toMatchObject({ admitted: true, probe: true });
    expect(held.lease).toBeDefined();
    failTakeProbe = true;
    const local = await store.admit('primary', opened.openUntil + 1, options);
    expect(local).toMatchObject({ admitted: true, probe: true });
    expect(local.lease).toBeUndefined();

    await store.recordResult('primary', { outcome: 'neutral', generation: local.generation, probe: true, now: opened.openUntil + 1, lease: local.lease }, options);
    await store.settled();
    expect(await probesInObject()).toEqual([opened.openUntil]);

    await store.recordResult('primary', { outcome: 'neutral', generation: held.generation, probe: true, now: opened.openUntil + 1, lease: held.lease }, options);
    await store.settled();
    expect(await probesInObject()).toEqual([]);
  });
});
