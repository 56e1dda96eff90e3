import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** A throwaway redis-server started by `scripts/redis.mjs`. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Shuts it down (nosave) and waits until the port is closed. */
  stop(): Promise<void>;
  /** Starts it again, empty, on the same port. */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  close(): Promise<void>;
}

// The helper is plain JavaScript shared with scripts outside this package; this file gives it types.
const helper = new URL('../../../scripts/redis.mjs', import.meta.url).href;

/**
 * Starts redis-server on a free loopback port; throws (failing the test) when redis-server cannot be had. With
 * `{ cluster: true }`, a one-node cluster whose slots the caller assigns.
 */
export const startRedis = async (options: { cluster?: boolean } = {}): Promise<RedisServer> => {
  const module = (await import(/* @vite-ignore */ helper)) as { startRedis(options: { cluster?: boolean }): Promise<RedisServer> };
  return module.startRedis(options);
};

/**
 * A connection that waits 5 s for a command, for tests that are not about slowness: the store's 200 ms command
 * timeout would turn a command slowed by a busy machine into an outage (local-only mode) and fail them by chance.
 */
export const patientRedis = (url: string, options: RedisOptions): Redis => new Redis(url, { ...options, commandTimeout: 5000 });

/**
 * A redis-server for a test file: started before its first test and stopped after its last, with `cleanups` (a test
 * pushes what it opened) run after each test. Read `server` inside tests, not at the file's top level.
 */
export const useRedisServer = (): { readonly server: RedisServer; readonly cleanups: (() => Promise<void>)[] } => {
  let server: RedisServer | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    server = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  });
  afterAll(async () => {
    await server?.close();
  });
  return {
    get server() {
      if (!server) throw new Error('the redis-server starts before the first test');
      return server;
    },
    cleanups,
  };
};
