// Check: RedisStore.close() waits for unanswered background writes; bounded when Redis stalls (CLIENT PAUSE)?
import { createRedisStore } from '/tmp/review19/repo/packages/redis/dist/index.js';
import Redis from '/tmp/review19/repo/packages/redis/node_modules/ioredis/built/index.js';
const url = 'redis://127.0.0.1:6421';
const store = createRedisStore({ url, prefix: `r6-${Date.now()}:`, log: () => {} }); await store.ready;
const admin = new Redis(url);
await admin.client('PAUSE', 5000, 'ALL');
for (let i = 0; i < 50; i += 1) store.disable(`ep${i}`, Date.now() + 60000, 'auth', 'fp');
const t0 = Date.now(); await store.close();
console.log(`close took ${Date.now() - t0} ms with Redis paused for 5 s (expected: bounded by the 200 ms command timeout)`);
await admin.client('UNPAUSE'); admin.disconnect(); process.exit(0);
