// priority header validation + max_tokens gaming
import { startUpstream, startGateway, chat } from './lib.mjs';
const up = await startUpstream(() => ({ 'x-ratelimit-limit-tokens': '100000', 'x-ratelimit-remaining-tokens': '100000', 'x-ratelimit-reset-tokens': '60s' }));
const gw = await startGateway({ endpoints: [{ name: 'a', baseUrl: up.url, apiKey: 'sk' }], gatewayKeys: ['gk', { key: 'gklow', priority: 'low' }] });
for (const v of ['high', 'HIGH', 'high, low', 'x'.repeat(10000), 'hïgh', '']) {
  const r = await chat(gw, { headers: { 'x-detour-priority': v } }); console.log('prio', JSON.stringify(v.slice(0, 12)), r.status, r.body.slice(0, 100));
}
for (const mt of [1e12, -1, 1.5, '1000', 1e308, null, 99999999]) {
  const r = await chat(gw, { body: { max_tokens: mt } }); console.log('max_tokens', mt, r.status, r.ra, r.body.slice(0, 140));
}
for (const n of [1000, -1, 0, 1e9, 'x']) { const r = await chat(gw, { body: { n, max_tokens: 10 } }); console.log('n', n, r.status, r.ra, r.body.slice(0, 140)); }
const r = await chat(gw); console.log('plain after', r.status, r.ra, r.body.slice(0, 140));
gw.p.kill('SIGTERM'); up.srv.close(); up.srv.closeAllConnections(); process.exit(0);
