import type { GatewayConfig } from '../config/load-config';
import { createRedisStore, type RedisStore } from '@detour/redis';

/**
 * The state store the config asks for on Node: a Redis store for `store.redis`, otherwise none (the router keeps
 * state in memory). Waits until the store has loaded the fleet's state, or found Redis unreachable: a gateway that
 * starts during a Redis outage serves on local state and joins the fleet when Redis returns.
 */
export const createStore = async (config: GatewayConfig): Promise<RedisStore | undefined> => {
  if (!config.store) return undefined;
  if ('durableObject' in config.store) throw new Error('store.durableObject works on Workers only; on Node use store.redis');
  const store = createRedisStore({ url: config.store.redis });
  await store.ready;
  return store;
};
