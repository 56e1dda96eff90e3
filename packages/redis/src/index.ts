// @detour/redis: one Redis shared by every router instance of a fleet (createFetch, createRouter or the gateway).
export { createRedisStore, type RedisStore, type RedisStoreOptions } from './redis-store';
