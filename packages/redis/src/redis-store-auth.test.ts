import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { patientRedis, useRedisServer } from '../test/redis-server';
import { createRedisStore } from './redis-store';

// A Redis that refuses the store's credentials: the store runs local-only, as in an outage, but unlike an outage it
// never heals by itself, so it says why (for /healthz) without the password or the URL's credentials.

const redis = useRedisServer();
const { cleanups } = redis;
const password = 'redis-pass-0123456789abcdef';
const withCredentials = (credentials: string) => redis.server.url.replace('redis://', `redis://${credentials}@`);

/** Sets the server's password; the returned connection (authenticated before it was set) takes it off again. */
const requirePassword = async () => {
  const admin = new Redis(redis.server.url);
  await admin.config('SET', 'requirepass', password);
  return admin;
};

const otherPassword = 'another-pass-0123456789';

afterEach(async () => {
  // The server's own helpers (PING, SHUTDOWN) speak without a password: it goes before the server is stopped, or the
  // server outlives the tests. Whichever password a failed test left set.
  for (const set of [password, otherPassword]) {
    const admin = new Redis(withCredentials(`:${set}`), { lazyConnect: true, retryStrategy: () => null });
    admin.on('error', () => undefined);
    await admin.connect().then(() => admin.config('SET', 'requirepass', ''), () => undefined);
    admin.disconnect();
  }
});

const storeFor = async (url: string) => {
  const log = vi.fn();
  const store = createRedisStore({ url, prefix: 'auth:', log, redis: patientRedis });
  cleanups.push(() => store.close());
  await store.ready;
  return { store, log };
};

describe('the Redis store and a password Redis refuses', () => {
  it.each([
    ['a wrong password (WRONGPASS)', () => withCredentials(':wrong-pass-0123456789'), /WRONGPASS/],
    ['a wrong user and password (WRONGPASS)', () => withCredentials(`alice:${password}`), /WRONGPASS/],
    ['no password where one is required (NOAUTH)', () => redis.server.url, /NOAUTH/],
  ])('%s: a fault that names the server and the refusal, never the credentials', async (_, url, refusal) => {
    const admin = await requirePassword();
    cleanups.push(async () => admin.disconnect());
    const { store, log } = await storeFor(url());
    await vi.waitFor(() => expect(store.fault).toMatch(refusal), { timeout: 5000 });
    expect(store.connected).toBe(false);
    expect(store.fault).toContain(`127.0.0.1:${redis.server.port}`);
    for (const text of [store.fault!, ...log.mock.calls.map(([line]) => String(line))]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain('wrong-pass-0123456789');
      expect(text).not.toContain('alice');
    }
  });

  it('has no fault with the right password, nor once Redis takes the one it refused', async () => {
    const admin = await requirePassword();
    cleanups.push(async () => admin.disconnect());
    const { store } = await storeFor(withCredentials(`:${password}`));
    expect([store.connected, store.fault]).toEqual([true, undefined]);
    await admin.config('SET', 'requirepass', otherPassword);
    const { store: refused } = await storeFor(withCredentials(`:${password}`));
    await vi.waitFor(() => expect(refused.fault).toMatch(/WRONGPASS/), { timeout: 5000 });
    await admin.config('SET', 'requirepass', password);
    await vi.waitFor(() => expect([refused.connected, refused.fault]).toEqual([true, undefined]), { timeout: 5000 });
  });

  it('an outage is no fault: Redis down is waited out, not reported', async () => {
    const { store } = await storeFor('redis://127.0.0.1:1');
    expect([store.connected, store.fault]).toEqual([false, undefined]);
  });
});
