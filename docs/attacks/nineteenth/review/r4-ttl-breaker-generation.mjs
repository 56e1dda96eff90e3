// F4: an endpoint hash expires 2 days after its last write, and with it the shared breaker's generation, which is
// live state for a healthy endpoint (no writes while the breaker stays closed). A member started after the expiry
// opens its breaker at generation 1; members that lived through earlier transitions hold a closed breaker of a higher
// generation, so the fleet's open never reaches them (before: the hash kept the generation, the new member adopted it).
import { createRouter } from '/tmp/review19/repo/packages/core/dist/index.js';
import { createRedisStore } from '/tmp/review19/repo/packages/redis/dist/index.js';
import Redis from '/tmp/review19/repo/packages/redis/node_modules/ioredis/built/index.js';
const url = 'redis://127.0.0.1:6421';
const prefix = `r4-${Date.now()}:`;
const redis = new Redis(url);
const failing = new Set();
const transport = (tag) => async () => {
  const ok = !failing.has(tag);
  const body = ok ? { id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] } : { error: { message: 'boom' } };
  return { status: ok ? 200 : 500, headers: { 'content-type': 'application/json' }, body: (async function* () { yield new TextEncoder().encode(JSON.stringify(body)); })(), cancel() {} };
};
const chat = { path: '/chat/completions', body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }) };
const stores = [];
const member = async (tag) => {
  const store = createRedisStore({ url, prefix, refreshMs: 100 });
  stores.push(store); await store.ready;
  const router = createRouter({ endpoints: [{ name: 'ep', baseUrl: 'https://ep.example/v1', apiKey: 'sk-x' }], maxAttempts: 1,
    breaker: { consecutiveFailures: 2, openMs: 300, maxOpenMs: 300 } }, { transport: transport(tag), store });
  return { router, store };
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const send = async (r) => { try { await r.send(chat); return 'ok'; } catch (e) { return e.code; } };
const a = await member('A');
// A lives through two open/close cycles: generation 4.
for (let cycle = 0; cycle < 2; cycle += 1) {
  failing.add('A'); await send(a.router); await send(a.router); failing.delete('A');
  await sleep(400); await send(a.router); await sleep(200);
}
const key = `{${prefix.slice(0, -1)}}:endpoint:ep`;
console.log('hash after A\'s cycles:', await redis.hgetall(key), 'pttl', await redis.pttl(key));
console.log('A local breaker', a.store.read('ep').breaker.position, 'gen', a.store.read('ep').breaker.generation);
// Two quiet days pass (a healthy endpoint: nothing writes its hash): the TTL runs out.
await redis.pexpire(key, 1); await sleep(300);
const b = await member('B');
failing.add('B'); await send(b.router); await send(b.router);
await sleep(400);
console.log('B breaker', b.store.read('ep').breaker.position, 'gen', b.store.read('ep').breaker.generation, '; hash', await redis.hgetall(key));
const aState = a.store.read('ep').breaker;
console.log('A breaker after B opened:', aState.position, 'gen', aState.generation);
console.log(aState.position === 'open' ? 'held' : 'DEFECT REPRODUCED: expected A to adopt the fleet\'s open breaker (as before the TTL, when the hash kept the generation)');
for (const s of stores) await s.close(); redis.disconnect(); process.exit(0);
