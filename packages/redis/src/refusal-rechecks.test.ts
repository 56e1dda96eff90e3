import { createRouter, type Router } from '@detour/core';
import { chatCompletion, createFakeClock, createScriptedTransport, type ScriptedReply } from '@detour/core/testing';
import type { TransportRequest } from '@detour/core';
import { describe, expect, it, vi } from 'vitest';
import { useRedisServer } from '../test/redis-server';
import { createRedisStore } from './redis-store';

// A spent balance on a Redis fleet: the member that did not see the refusal honours the fleet's hold, rechecks the
// endpoint with one request when the hold runs out, and its refusal holds the endpoint again for the whole fleet.

let prefixNumber = 0;
const redis = useRedisServer();
const { cleanups } = redis;
const chat = { path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) };
const spent: ScriptedReply = {
  status: 429,
  body: { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } },
};
const minute = 60_000;

describe('a hold with no reset, rechecked on a Redis fleet', () => {
  it("is rechecked once by a member that only adopted it, and that member's refusal holds the fleet again", async () => {
    const prefix = `rechecks-${(prefixNumber += 1)}:`;
    const clock = createFakeClock(Date.now());
    const scripted = createScriptedTransport({ a: () => spent, b: () => ({ body: chatCompletion('ok') }) }, { now: clock.now });
    // Requests to `a` are held back while `holding`, so several are in flight at once.
    let holding = false;
    let toA = 0;
    const heldBack: (() => void)[] = [];
    const transport = async (request: TransportRequest, signal: Parameters<typeof scripted>[1]) => {
      if (request.endpoint === 'a') {
        toA += 1;
        if (holding) await new Promise<void>((resolve) => heldBack.push(resolve));
      }
      return scripted(request, signal);
    };
    const member = async (): Promise<Router> => {
      const store = createRedisStore({ url: redis.server.url, prefix, clock, refreshMs: 1000, log: () => undefined });
      cleanups.push(() => store.close());
      await store.ready;
      const endpoints = ['a', 'b'].map((name, priority) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}-0123456789`, priority }));
      return createRouter({ endpoints }, { transport, clock, sleep: clock.sleep, random: () => 0, store });
    };
    const disabledUntil = async (router: Router) => (await router.health()).find((endpoint) => endpoint.name === 'a')!.disabledUntil;
    const earner = await member();
    const adopter = await member();

    expect((await earner.send(chat)).endpoint).toBe('b');
    const firstHold = clock.now() + 5 * minute;
    await vi.waitFor(async () => expect(await disabledUntil(adopter)).toBe(firstHold));
    expect((await adopter.send(chat)).endpoint).toBe('b');
    expect(toA).toBe(1);

    clock.advance(5 * minute);
    holding = true;
    const sending = [adopter.send(chat), adopter.send(chat), adopter.send(chat)];
    await vi.waitFor(() => expect(heldBack).toHaveLength(1));
    // One recheck; the other two went to b.
    expect(toA).toBe(2);
    holding = false;
    for (const release of heldBack.splice(0)) release();
    expect((await Promise.all(sending)).map((result) => result.endpoint)).toEqual(['b', 'b', 'b']);
    const secondHold = clock.now() + 5 * minute;
    expect(await disabledUntil(adopter)).toBe(secondHold);
    await vi.waitFor(async () => expect(await disabledUntil(earner)).toBe(secondHold));
    expect((await earner.send(chat)).endpoint).toBe('b');
    expect(toA).toBe(2);
  });
});
