import { createFetch, type EndpointInput } from '@detour/node';
import { createRedisStore } from '@detour/redis';
declare const endpoints: EndpointInput[];
const store = createRedisStore({ url: process.env.REDIS_URL! });
await store.ready;
const fetch = createFetch({ endpoints, store });
await store.close();
const s2 = createRedisStore({ url: 'redis://x', prefix: 'team-a:', refreshMs: 1000, serverClock: true, log: console.warn });
