import { Redis, type RedisOptions } from 'ioredis';

/** Redis must never hold a request up: commands that do not answer within this fail, and the store goes local-only. */
export const commandTimeoutMs = 200;

/** Settings of the connection that runs commands and scripts. */
export const commandOptions: RedisOptions = {
  commandTimeout: commandTimeoutMs,
  connectTimeout: 1000,
  // Fail at once while disconnected instead of queueing behind a reconnect: the local view answers meanwhile.
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
};

/** Settings of the subscriber: it only sends SUBSCRIBE, which may wait for a connection; ioredis resubscribes on reconnect. */
export const subscriberOptions: RedisOptions = {
  connectTimeout: 1000,
  maxRetriesPerRequest: null,
  retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
};

/** Opens a connection: the default of `RedisStoreOptions.redis`. */
export const connectRedis = (url: string, options: RedisOptions): Redis => new Redis(url, options);

/** Names a Redis for log lines by host and port only: a URL may carry a password. */
export const describeRedisUrl = (url: string): string => {
  try {
    const parsed = new URL(url);
    return `Redis at ${parsed.host}`;
  } catch {
    return 'Redis';
  }
};

