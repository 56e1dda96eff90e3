// Secrets across a key rotation: the old instance (old key) and the new one (new key) share Redis. Everything that
// leaves either process (answers, /healthz, /metrics, /admin/state, stdout with the access log, stderr) and the whole
// store is searched for any 8-character piece of either key, and for the env var values.
import { startRedis, startUpstream, startGateway, chat, getJson, redisDump, gwConfig, cleanup, hardStop, sleep } from './lib.mjs';
hardStop(60000);
const GK = 'gk-test-0123456789';
const OLD_KEY = 'sk-proj-OLDkeyAAAAbbbbCCCC1111';
const NEW_KEY = 'sk-proj-NEWkeyZZZZyyyyXXXX9999';
const ADMIN = 'admin-key-0123456789abcdef';
const pieces = (k) => { const out = []; for (let i = 8; i + 8 <= k.length; i++) out.push(k.slice(i, i + 8)); return out; };
try {
  const redis = await startRedis(6401);
  const up = await startUpstream('openai', { [OLD_KEY]: 'revoked', [NEW_KEY]: 'ok' });
  const cfg = gwConfig([{ name: 'openai', baseUrl: up.url, apiKey: { env: 'OPENAI_API_KEY' } }, { name: 'spare', baseUrl: up.url, apiKey: { env: 'SPARE_KEY' }, priority: 1 }], redis.url,
    { gatewayKeys: [GK], admin: { key: ADMIN }, accessLog: true });
  const collected = [];
  const a = await startGateway('f10-a', cfg, { env: { OPENAI_API_KEY: OLD_KEY, SPARE_KEY: NEW_KEY } });
  const b = await startGateway('f10-b', cfg, { env: { OPENAI_API_KEY: NEW_KEY, SPARE_KEY: 'sk-proj-SPAREkeyQQQQ0000rrrr' } });
  for (const gw of [a, b]) for (let i = 0; i < 3; i++) collected.push((await chat(gw, GK)).text);
  await sleep(300);
  for (const gw of [a, b]) {
    collected.push((await getJson(gw, '/healthz')).text);
    collected.push(await fetch(`${gw.url}/metrics`).then((r) => r.text()));
    collected.push((await getJson(gw, '/admin/state', { authorization: `Bearer ${ADMIN}` })).text);
    collected.push((await getJson(gw, '/dashboard', { authorization: `Bearer ${ADMIN}` })).text);
  }
  collected.push(JSON.stringify(await redisDump(redis.client)));
  await a.stop(); await b.stop();
  collected.push(a.out.stdout, a.out.stderr, b.out.stdout, b.out.stderr);
  const all = collected.join('\n');
  const hits = [OLD_KEY, NEW_KEY].flatMap((k) => pieces(k).filter((p) => all.includes(p)).map((p) => `${k.slice(8, 14)}…:${p}`));
  console.log(`searched ${all.length} characters; pieces of either key found: ${hits.length ? hits.join(', ') : 'none'}`);
  console.log('B /healthz reason for openai (written by A):', JSON.stringify(all.match(/"reason":"[^"]*401[^"]*"/)?.[0]));
} finally { await cleanup(); }
