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
  const wanted = nodeStore(config);
  if (!wanted) return undefined;
  const { createRedisStore } = await import('@detour/redis');
  const store = createRedisStore({ url: wanted.redis, ...(wanted.prefix === undefined ? {} : { prefix: wanted.prefix }) });
  await store.ready;
  return store;
};

/**
 * The Redis store a config asks for on Node, if any; throws for a store Node cannot have. `--check` calls it too, so
 * that a config the start would refuse never passes the check.
 */
export const nodeStore = (config: GatewayConfig): { readonly redis: string; readonly prefix?: string | undefined } | undefined => {
  if (!config.store) return undefined;
  if ('durableObject' in config.store) throw new Error('store.durableObject works on Workers only; on Node use store.redis');
  return config.store;
};
