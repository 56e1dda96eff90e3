import { createRouter, NoEndpointAvailableError } from '@detour/core';
import { chatCompletion, createFakeClock, createScriptedTransport, type ScriptedReply } from '@detour/core/testing';
import { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { useRedisServer } from '../test/redis-server';
import { redisKeys } from './redis-keys';
import { createRedisStore } from './redis-store';

// Attack 19, F1: a disable earned by a revoked or spent key outlived the key. The gateway restarted with a new key
// under the same endpoint name read the old key's hour-long disable from Redis and never sent the new key, and a
// member still on the old key renewed the disable for the whole fleet.

let prefixNumber = 0;
const redis = useRedisServer();
const { cleanups } = redis;
const chat = { path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) };
const revoked: ScriptedReply = { status: 401, body: { error: { message: 'Incorrect API key provided', code: 'invalid_api_key' } } };
const authorization = (headers: unknown) => new Headers(headers as Record<string, string>).get('authorization');

describe('a key replaced under the same endpoint name, on a Redis fleet', () => {
  it('is sent at once, while members on the old key stay off it, and no member writes the key anywhere', async () => {
    const prefix = `rotation-${(prefixNumber += 1)}:`;
    const clock = createFakeClock(Date.now());
    const transport = createScriptedTransport({
      openai: (request) => (authorization(request.headers) === 'Bearer sk-old-revoked-0123456789' ? revoked : { body: chatCompletion('ok') }),
    });
    const member = async (apiKey: string) => {
      const store = createRedisStore({ url: redis.server.url, prefix, clock, refreshMs: 1000, log: () => undefined });
      cleanups.push(() => store.close());
      await store.ready;
      const router = createRouter({ endpoints: [{ name: 'openai', baseUrl: 'https://api.openai.example/v1', apiKey }] }, { transport, clock, sleep: clock.sleep, store });
      return { store, router };
    };
    const old = await member('sk-old-revoked-0123456789');
    await expect(old.router.send(chat)).rejects.toThrow();
    const writer = new Redis(redis.server.url);
    cleanups.push(async () => writer.disconnect());
    const hash = await vi.waitFor(async () => {
      const fields = await writer.hgetall(redisKeys(prefix).endpoint('openai'));
      expect(Number(fields.disabledUntil)).toBeGreaterThan(clock.now());
      return fields;
    });

    // The restarted member with the new key learns the fleet's disable and serves anyway.
    const rotated = await member('sk-new-funded-0123456789');
    expect((await rotated.router.health())[0]).toMatchObject({ available: true });
    expect((await rotated.router.send(chat)).status).toBe(200);
    // The member still on the old key keeps its disable, and a 401 it earns again takes nothing from the new key.
    clock.advance(1000);
    await expect(old.router.send(chat)).rejects.toThrow();
    for (let index = 0; index < 3; index += 1) {
      clock.advance(1000);
      expect((await rotated.router.send(chat)).status).toBe(200);
    }
    expect(transport.callsTo('openai').filter((call) => authorization(call.request.headers) === 'Bearer sk-old-revoked-0123456789')).toHaveLength(1);
    for (const value of Object.values(hash)) {
      expect(value).not.toContain('sk-old');
      expect(value).not.toContain('0123456789');
    }
  });

  it('a member that adopted the old key\'s disable takes the new key\'s from the fleet when another member earns it', async () => {
    // The review of attack 19: B2 held A's disable (hidden: not its key's), ignored the one B1 earned for the new key,
    // and sent the new key that B1 had just found unfunded.
    const prefix = `rotation-${(prefixNumber += 1)}:`;
    const clock = createFakeClock(Date.now());
    const unfunded: ScriptedReply = { status: 429, body: { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } } };
    const transport = createScriptedTransport({ openai: (request) => (authorization(request.headers) === 'Bearer sk-old-revoked-0123456789' ? revoked : unfunded) });
    const member = async (apiKey: string) => {
      const store = createRedisStore({ url: redis.server.url, prefix, clock, refreshMs: 1000, log: () => undefined });
      cleanups.push(() => store.close());
      await store.ready;
      return { store, router: createRouter({ endpoints: [{ name: 'openai', baseUrl: 'https://api.openai.example/v1', apiKey }], maxAttempts: 1 }, { transport, clock, sleep: clock.sleep, store }) };
    };
    const old = await member('sk-old-revoked-0123456789');
    const first = await member('sk-new-unfunded-0123456789');
    const second = await member('sk-new-unfunded-0123456789');
    await expect(old.router.send(chat)).rejects.toThrow();
    await vi.waitFor(() => expect(second.store.read('openai').disabledUntil).toBeGreaterThan(clock.now()));
    await expect(first.router.send(chat)).rejects.toThrow();
    const fingerprint = (await first.router.health())[0]!;
    expect(fingerprint.available).toBe(false);
    await vi.waitFor(() => expect(second.store.read('openai').disabledBy).toBe(first.store.read('openai').disabledBy));
    const before = transport.calls.length;
    await expect(second.router.send(chat)).rejects.toBeInstanceOf(NoEndpointAvailableError);
    expect(transport.calls.length).toBe(before);
  });
});

