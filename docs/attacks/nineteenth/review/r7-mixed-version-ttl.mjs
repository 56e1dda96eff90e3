// F4 x rolling upgrade: a member of this version gives an earlier version's hash a 2-day expiry; members of the
// earlier version then write live state into it (HSET keeps the TTL, their scripts set none), so the expiry counts
// from the new member's start, not from the last write, and takes a live disable with it.
import { createRedisStore as createNew } from '/tmp/review19/repo/packages/redis/dist/index.js';
import { createRedisStore as createOld } from '/tmp/review19/old/packages/redis/dist/index.js';
import Redis from '/tmp/review19/repo/packages/redis/node_modules/ioredis/built/index.js';
const url = 'redis://127.0.0.1:6421';
const prefix = `r7-${Date.now()}:`;
const key = `{${prefix.slice(0, -1)}}:endpoint:ep`;
const redis = new Redis(url);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const old = createOld({ url, prefix, refreshMs: 100, log: () => {} }); await old.ready;
old.coolDown('ep', Date.now() + 5000, undefined, 'rate limited');       // an earlier version's hash, no TTL
await sleep(200);
console.log('PTTL after old write:', await redis.pttl(key));
const fresh = createNew({ url, prefix, refreshMs: 100, log: () => {} }); await fresh.ready; await sleep(300);
console.log('PTTL after a new member started (bound):', await redis.pttl(key));
// Two days less a second later (simulated): the old member disables the endpoint for an hour.
await redis.pexpire(key, 1000);
old.disable('ep', Date.now() + 3_600_000, 'insufficient_quota');
await sleep(100);
console.log('after the old member\'s 1 h disable: PTTL', await redis.pttl(key), 'disabledUntil', await redis.hget(key, 'disabledUntil'));
await sleep(1200);
const late = createNew({ url, prefix, log: () => {} }); await late.ready;
console.log('a member started a second later reads disabledUntil =', late.read('ep').disabledUntil, '; hash exists:', await redis.exists(key));
console.log(late.read('ep').disabledUntil > Date.now() ? 'held' : 'DEFECT REPRODUCED: expected the live 1 h disable to outlast the hash\'s expiry');
for (const s of [old, fresh, late]) await s.close(); redis.disconnect(); process.exit(0);
