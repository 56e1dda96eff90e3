// F1: an operator rotates a revoked (401) or spent (insufficient_quota) key under the same endpoint name and restarts
// the gateway. Does the restarted gateway, with the new, working key, still shun the endpoint because of Redis state?
// Usage: node f1_key_rotation.mjs [revoked|spent]
import { startRedis, startUpstream, startGateway, chat, getJson, redisDump, gwConfig, cleanup, hardStop, sleep } from './lib.mjs';
hardStop(60000);
const mode = process.argv[2] ?? 'revoked';
const OLD_KEY = 'sk-proj-OLDkeyAAAAbbbbCCCC1111';
const NEW_KEY = 'sk-proj-NEWkeyZZZZyyyyXXXX9999';
try {
  const redis = await startRedis(6391);
  const up = await startUpstream('openai', { [OLD_KEY]: mode, [NEW_KEY]: 'ok' });
  const cfg = (key) => gwConfig([{ name: 'openai', baseUrl: up.url, apiKey: { env: 'OPENAI_API_KEY' } }], redis.url, { gatewayKeys: ['gk-test-0123456789'] });
  // Day 1: the key goes bad.
  const a = await startGateway('f1-v1', cfg(), { env: { OPENAI_API_KEY: OLD_KEY } });
  console.log('v1 gateway', a.url);
  for (let i = 0; i < 2; i++) { const r = await chat(a, 'gk-test-0123456789'); console.log(`v1 request ${i}: status ${r.status} error=${r.error} retry-after=${r.retryAfter}`); }
  await sleep(300);
  const dump = await redisDump(redis.client);
  console.log('redis after v1:', JSON.stringify(dump));
  console.log('SIGTERM v1 ->', JSON.stringify(await a.stop()));
  // Day 2: operator rotates the key (same endpoint name, same URL), rolling restart.
  const b = await startGateway('f1-v2', cfg(), { env: { OPENAI_API_KEY: NEW_KEY } });
  console.log('v2 gateway (new key)', b.url);
  const health = await getJson(b, '/healthz');
  console.log('v2 /healthz:', health.status, JSON.stringify(health.body?.endpoints ?? health.body));
  const seenBefore = up.seen.filter((s) => s.key === NEW_KEY).length;
  const results = [];
  for (let i = 0; i < 5; i++) results.push(await chat(b, 'gk-test-0123456789'));
  for (const r of results) console.log(`v2 request: status ${r.status} endpoint=${r.endpoint} error=${r.error} retry-after=${r.retryAfter}`);
  const newKeyRequests = up.seen.filter((s) => s.key === NEW_KEY).length - seenBefore;
  console.log(`upstream saw the NEW key ${newKeyRequests} times in 5 requests`);
  const served = results.filter((r) => r.status === 200).length;
  console.log(served === 5 ? 'VERDICT: OK (new key used at once)' : `VERDICT: FAIL: rotated key shunned (${served}/5 served); the store's disable outlives the key that earned it`);
  const m = await fetch(`${b.url}/metrics`).then((r) => r.text());
  console.log('v2 metrics:', m.split('\n').filter((l) => /cooldown_seconds\{|endpoint_available\{/.test(l)).join(' | '));
  await b.stop();
} finally { await cleanup(); }
