// After F1, the operator tries the only lever there is: delete the endpoint's hash in Redis (or FLUSHDB the fleet's
// keys) while the fleet runs. Do the running instances write the old disable straight back?
import { startRedis, startUpstream, startGateway, chat, getJson, gwConfig, cleanup, hardStop, sleep } from './lib.mjs';
hardStop(60000);
const GK = 'gk-test-0123456789';
const OLD_KEY = 'sk-proj-OLDkeyAAAAbbbbCCCC1111';
const NEW_KEY = 'sk-proj-NEWkeyZZZZyyyyXXXX9999';
try {
  const redis = await startRedis(6400);
  const up = await startUpstream('openai', { [OLD_KEY]: 'revoked', [NEW_KEY]: 'ok' });
  const cfg = gwConfig([{ name: 'openai', baseUrl: up.url, apiKey: { env: 'OPENAI_API_KEY' } }], redis.url, { gatewayKeys: [GK] });
  const a = await startGateway('f9-a', cfg, { env: { OPENAI_API_KEY: OLD_KEY } });
  const r0 = await chat(a, GK);
  console.log('A (old key):', r0.status, r0.error, 'body quotes key?', r0.text.includes('OLDkey') ? 'YES' : 'no', JSON.stringify(r0.text.slice(0, 160)));
  // Rolling restart: A restarted on the new key.
  await a.stop();
  const a2 = await startGateway('f9-a2', cfg, { env: { OPENAI_API_KEY: NEW_KEY } });
  const b = await startGateway('f9-b', cfg, { env: { OPENAI_API_KEY: NEW_KEY } });
  console.log('both on the new key:', (await chat(a2, GK)).status, (await chat(b, GK)).status);
  console.log('operator: DEL {detour}:endpoint:openai ->', await redis.client.del('{detour}:endpoint:openai'));
  await sleep(2500);
  console.log('2.5 s later, redis holds:', JSON.stringify(await redis.client.hgetall('{detour}:endpoint:openai')));
  console.log('requests now:', (await chat(a2, GK)).status, (await chat(b, GK)).status);
  console.log('operator: FLUSHDB ->', await redis.client.flushdb());
  await sleep(2500);
  console.log('2.5 s later, redis holds:', JSON.stringify(await redis.client.hgetall('{detour}:endpoint:openai')));
  const c = await startGateway('f9-c', cfg, { env: { OPENAI_API_KEY: NEW_KEY } });
  console.log('a third, fresh instance started after the flush:', (await chat(c, GK)).status, '; upstream saw the new key', up.seen.filter((s) => s.key === NEW_KEY).length, 'times in all');
  await Promise.all([a2.stop(), b.stop(), c.stop()]);
} finally { await cleanup(); }
