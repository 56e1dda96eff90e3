// F2: rolling deploy of a rotated key. Instance B already runs the new key; instance A (not yet restarted) still has
// the revoked one. One request through A disables the endpoint for the whole fleet, B included, for an hour, and it
// stays disabled after A is restarted on the new key too. Also: the new config points the same name at a different
// provider URL (the operator moved providers) and is still shunned.
import { startRedis, startUpstream, startGateway, chat, getJson, gwConfig, cleanup, hardStop, sleep } from './lib.mjs';
hardStop(60000);
const OLD_KEY = 'sk-proj-OLDkeyAAAAbbbbCCCC1111';
const NEW_KEY = 'sk-proj-NEWkeyZZZZyyyyXXXX9999';
const GK = 'gk-test-0123456789';
try {
  const redis = await startRedis(6392);
  const up = await startUpstream('openai', { [OLD_KEY]: 'revoked', [NEW_KEY]: 'ok' });
  const other = await startUpstream('other-provider', { [NEW_KEY]: 'ok' });
  const cfg = (url) => gwConfig([{ name: 'primary', baseUrl: url, apiKey: { env: 'OPENAI_API_KEY' } }], redis.url, { gatewayKeys: [GK] });
  const b = await startGateway('f2-b', cfg(up.url), { env: { OPENAI_API_KEY: NEW_KEY } });
  const a = await startGateway('f2-a', cfg(up.url), { env: { OPENAI_API_KEY: OLD_KEY } });
  let r = await chat(b, GK);
  console.log(`B (new key) before: ${r.status} endpoint=${r.endpoint}`);
  r = await chat(a, GK);
  console.log(`A (old, revoked key) one request: ${r.status} ${r.error}`);
  await sleep(200);
  const outcomes = [];
  for (let i = 0; i < 5; i++) outcomes.push((await chat(b, GK)).status);
  console.log(`B (new key) after A's one 401: ${outcomes.join(',')}`);
  await a.stop();
  const a2 = await startGateway('f2-a2', cfg(up.url), { env: { OPENAI_API_KEY: NEW_KEY } });
  r = await chat(a2, GK);
  console.log(`A restarted on the new key: ${r.status} ${r.error} retry-after=${r.retryAfter}`);
  await a2.stop();
  // The operator gives up on this provider and moves the name to another one.
  const a3 = await startGateway('f2-a3', cfg(other.url), { env: { OPENAI_API_KEY: NEW_KEY } });
  r = await chat(a3, GK);
  console.log(`same name, different provider URL: ${r.status} ${r.error} retry-after=${r.retryAfter}; other provider saw ${other.seen.length} requests`);
  const h = await getJson(a3, '/healthz');
  console.log('healthz of the moved endpoint:', JSON.stringify(h.body.endpoints.map((e) => ({ name: e.name, available: e.available, cooldownSeconds: e.cooldownSeconds, reason: e.reason }))));
  console.log(outcomes.every((s) => s === 200) && r.status === 200 ? 'VERDICT: OK' : 'VERDICT: FAIL: one instance with the revoked key took the endpoint from the whole fleet for an hour, and the store keeps it after every instance has the new key or a new URL');
  await a3.stop(); await b.stop();
} finally { await cleanup(); }
