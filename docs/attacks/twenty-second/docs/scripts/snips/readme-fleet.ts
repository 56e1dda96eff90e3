import { createFetch, type EndpointInput } from '@detour/node';
import { createRedisStore } from '@detour/redis';
declare const endpoints: EndpointInput[];
const store = createRedisStore({ url: process.env.REDIS_URL! });
const fetch = createFetch({ endpoints, store });
