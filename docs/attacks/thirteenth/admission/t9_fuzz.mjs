// upstream changes/garbles its rate-limit headers on every answer; look for 500s, stuck reservations, frozen endpoint
import { startUpstream, startGateway, chat, healthz } from './lib.mjs';
let seed = 7; const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const vals = ['0', '-1', '1', '10', '1e308', 'NaN', '999999999999999999999', '5.5', '', ' 3 ', '0x10', 'abc'];
const resets = ['1s', '-5s', '1h2m3.5s', '1e9s', '0s', '999999h', '20ms', 'NaNs', '', '1.5'];
const pick = a => a[Math.floor(rnd() * a.length)];
const up = await startUpstream(() => ({ 'x-ratelimit-limit-requests': pick(vals), 'x-ratelimit-remaining-requests': pick(vals), 'x-ratelimit-reset-requests': pick(resets), 'x-ratelimit-limit-tokens': pick(vals), 'x-ratelimit-remaining-tokens': pick(vals), 'x-ratelimit-reset-tokens': pick(resets), ...(rnd() < 0.15 ? { ':status': 429, 'retry-after': pick(['1', '-1', '1e9', 'x']) } : {}) }));
const gw = await startGateway({ endpoints: [{ name: 'a', baseUrl: up.url, apiKey: 'sk' }, { name: 'b', baseUrl: up.url, apiKey: 'sk' }], gatewayKeys: ['gk'], router: { deadlineMs: 4000 } });
const c = {}; const ras = new Set(); const t0 = Date.now();
for (let batch = 0; batch < 15 && Date.now() - t0 < 60000; batch++) {
  const rs = await Promise.all(Array.from({ length: 20 }, () => chat(gw, { body: { max_tokens: 20 } })));
  for (const r of rs) { c[r.status] = (c[r.status] || 0) + 1; if (r.ra) ras.add(r.ra); if (r.status === 500) console.log(r.body); }
}
await new Promise(r => setTimeout(r, 300));
const hz = await healthz(gw);
console.log('statuses', c, 'retry-afters', [...ras].slice(0, 15), 'queue', JSON.stringify(hz.queue), hz.endpoints.map(e => JSON.stringify([e.name, e.quotaRemaining, e.quotaResetSeconds])).join(' '), 'elapsed', Date.now() - t0);
gw.p.kill('SIGTERM'); up.srv.close(); up.srv.closeAllConnections(); process.exit(0);
