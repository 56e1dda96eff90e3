// Key rotation and admission: the old key's provider reading (x-ratelimit-remaining-requests: 0 of 100, reset in
// 20 min) sits in the fleet's quota ledger under the endpoint's name. The operator rotates to a fresh key (full
// quota at the provider) and restarts. Is the new key held to the old key's empty bucket?
import { startRedis, startUpstream, startGateway, chat, getJson, gwConfig, cleanup, hardStop, sleep } from './lib.mjs';
hardStop(60000);
const GK = 'gk-test-0123456789';
const OLD_KEY = 'sk-proj-OLDkeyAAAAbbbbCCCC1111';
const NEW_KEY = 'sk-proj-NEWkeyZZZZyyyyXXXX9999';
try {
  const redis = await startRedis(6399);
  const up = await startUpstream('openai', { [OLD_KEY]: 'ok', [NEW_KEY]: 'ok' });
  up.state.keyHeaders[OLD_KEY] = { 'x-ratelimit-limit-requests': '100', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '20m' };
  up.state.keyHeaders[NEW_KEY] = { 'x-ratelimit-limit-requests': '5000', 'x-ratelimit-remaining-requests': '4999', 'x-ratelimit-reset-requests': '12ms' };
  const cfg = gwConfig([{ name: 'openai', baseUrl: up.url, apiKey: { env: 'OPENAI_API_KEY' } }], redis.url, { gatewayKeys: [GK] });
  const a = await startGateway('f8-v1', cfg, { env: { OPENAI_API_KEY: OLD_KEY } });
  console.log('v1 (old key) last request:', (await chat(a, GK)).status);
  await sleep(600);
  await a.stop();
  const b = await startGateway('f8-v2', cfg, { env: { OPENAI_API_KEY: NEW_KEY } });
  await sleep(600);
  const t0 = Date.now();
  const rs = [];
  for (let i = 0; i < 4; i++) { const r = await chat(b, GK); rs.push(`${r.status}${r.retryAfter ? '(retry-after ' + r.retryAfter + ')' : ''}@${Date.now() - t0}ms`); }
  console.log('v2 (new key, 4999 left at the provider):', rs.join(' '));
  console.log('v2 healthz quota:', JSON.stringify((await getJson(b, '/healthz')).body.endpoints[0].quotaRemaining));
  await b.stop();
} finally { await cleanup(); }
