import type { GatewayConfig } from '../config/load-config';
import type { RedisStore } from '@detour/redis';

/**
 * The state store the config asks for on Node: a Redis store for `store.redis`, otherwise none (the router keeps
 * state in memory). Waits until the store has loaded the fleet's state, or found Redis unreachable: a gateway that
 * starts during a Redis outage serves on local state and joins the fleet when Redis returns. The Redis client is
 * loaded only here, when a config asks for it: ioredis and its dependencies add about 18 MiB of RSS to every
 * gateway that would never use them.
 */
export const createStore = async (config: GatewayConfig): Promise<RedisStore | undefined> => {
  if (!config.store) return undefined;
  if ('durableObject' in config.store) throw new Error('store.durableObject works on Workers only; on Node use store.redis');
  const { createRedisStore } = await import('@detour/redis');
  const store = createRedisStore({ url: config.store.redis });
  await store.ready;
  return store;
};
