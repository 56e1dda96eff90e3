// Quota ledger: a reading stamped by a member whose clock is 1 h fast blocks every newer reading from the rest of the fleet.
import { startRedis, redisCli, sleep, watchdog } from './lib.mjs';
import { createRedisStore } from '/work/main/packages/redis/dist/index.js';
watchdog(30000);
const redis = await startRedis();
const skewed = createRedisStore({ url: redis.url, log: () => {} });
const honest = createRedisStore({ url: redis.url, log: () => {} });
const other = createRedisStore({ url: redis.url, log: () => {} });
await Promise.all([skewed.ready, honest.ready, other.ready]);
const obs = (remaining) => ({ requests: { remaining, limit: 1000, resetMs: 60000 } });
const now = Date.now();
await skewed.exchangeQuota([{ endpoint: 'openai', model: 'gpt-4o', spent: { requests: 1 }, reading: { observation: obs(900), at: now + 3600_000 } }], now + 3600_000);
// seconds later the honest member reads the provider's headers: only 3 requests left
await honest.exchangeQuota([{ endpoint: 'openai', model: 'gpt-4o', spent: { requests: 1 }, reading: { observation: obs(3), at: Date.now() } }], Date.now());
const seen = await other.exchangeQuota([], Date.now());
console.log('ledger reading the rest of the fleet receives:', JSON.stringify(seen.map((s) => ({ ...s, readingAtMinusNow: s.reading && s.reading.at - Date.now() }))));
console.log('ledger fields:', (await redisCli(redis.port, ['HGETALL', '{detour}:quota'])).replace(/\n/g, ' | '));
await Promise.all([skewed.close(), honest.close(), other.close()]); await redis.stop(); process.exit(0);
