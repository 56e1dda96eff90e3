// 200 answers that spend the last of a limit: does the next request avoid the endpoint, and for how long?
import { upstream, createRouter, OK, ERR, send, health, eps } from './lib.mjs';
let beh = {};
const up = await upstream(new Proxy({}, { get: (_, k) => beh[k] }));
const withH = (h) => { const r = OK(); r.headers = { ...r.headers, ...h }; return r; };
const iso = (ms) => new Date(Date.now() + ms).toISOString().replace(/\.\d+Z$/, 'Z');
const cases = [
  ['openai req rem=0 reset 1s', () => ({ 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1s' })],
  ['openai req rem=0 reset 6m0s', () => ({ 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '6m0s' })],
  ['openai req rem=0 reset 1h30m', () => ({ 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1h30m' })],
  ['openai req rem=0 reset 20ms', () => ({ 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '20ms' })],
  ['openai req rem=0 reset 0.5s', () => ({ 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '0.5s' })],
  ['openai tok rem=0 reset 30s', () => ({ 'x-ratelimit-limit-tokens': '1000', 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '30s', 'x-ratelimit-limit-requests': '100', 'x-ratelimit-remaining-requests': '99', 'x-ratelimit-reset-requests': '600ms' })],
  ['openai req rem=0, no limit hdr, reset 30s', () => ({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '30s' })],
  ['anthropic req rem=0 reset +30s', () => ({ date: new Date().toUTCString(), 'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': iso(30000) })],
  ['anthropic tokens rem=0 reset +30s', () => ({ date: new Date().toUTCString(), 'anthropic-ratelimit-tokens-limit': '10000', 'anthropic-ratelimit-tokens-remaining': '0', 'anthropic-ratelimit-tokens-reset': iso(30000) })],
  ['anthropic in-tokens rem=0 +30s (offset form)', () => ({ 'anthropic-ratelimit-input-tokens-limit': '10000', 'anthropic-ratelimit-input-tokens-remaining': '0', 'anthropic-ratelimit-input-tokens-reset': new Date(Date.now() + 30000 + 7200000).toISOString().replace('Z', '').replace(/\.\d+$/, '') + '+02:00' })],
  ['IETF RateLimit r=0;t=30', () => ({ ratelimit: '"default";r=0;t=30', 'ratelimit-policy': '"default";q=3;w=60' })],
  ['IETF RateLimit r=0;t=30 split lines', () => ({ ratelimit: ['"burst";r=5;t=1', '"default";r=0;t=30'] })],
  ['IETF old RateLimit-Remaining/Reset', () => ({ 'ratelimit-limit': '3', 'ratelimit-remaining': '0', 'ratelimit-reset': '30' })],
  ['IETF draft-07 dict', () => ({ ratelimit: 'limit=3, remaining=0, reset=30' })],
  ['generic x-ratelimit-remaining=0 reset=30', () => ({ 'x-ratelimit-limit': '3', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '30' })],
];
for (const admission of [true, false]) {
  console.log(`--- admission.enabled=${admission}`);
  for (const [label, mk] of cases) {
    beh = { a: (n) => (n === 0 ? withH(mk()) : OK()) };
    up.reset();
    const router = createRouter({ endpoints: eps(up, ['a', 'b']), admission: { enabled: admission } });
    const r1 = await send(router);
    const h = (await health(router)).find((x) => x.name === 'a');
    const raw = (await router.health()).find((x) => x.name === 'a');
    const r2 = await send(router);
    console.log(`${label.padEnd(44)} r1=${r1.endpoint} r2=${r2.endpoint ?? r2.code}(${r2.ms}ms) a.avail=${h.avail} a.models=${JSON.stringify(h.models)} a.cool=${h.cool} quota=${JSON.stringify(raw.quota)} resetMs=${JSON.stringify(raw.quotaResetMs)}`);
    await router.close();
  }
}
await up.close();
