// two lying answers make the model believe a reset 2+ days away (docs: no reset believed beyond a day)
import { startUpstream, startGateway, chat, healthz } from './lib.mjs';
const seq = [
  { 'x-ratelimit-limit-requests': '2', 'x-ratelimit-remaining-requests': '1', 'x-ratelimit-reset-requests': '999999h' },
  { 'x-ratelimit-limit-requests': String(process.argv[2] || 100), 'x-ratelimit-remaining-requests': '0' },
];
const up = await startUpstream((n) => seq[n - 1] ? { ...seq[n - 1] } : {});
const gw = await startGateway({ endpoints: [{ name: 'a', baseUrl: up.url, apiKey: 'sk' }], gatewayKeys: ['gk'] });
const a = await chat(gw); const b = await chat(gw); const c = await chat(gw);
const ep = (await healthz(gw)).endpoints[0];
console.log(a.status, b.status, c.status, 'retry-after', c.ra, 'quotaResetSeconds', JSON.stringify(ep.quotaResetSeconds), '=', (ep.quotaResetSeconds.requests / 86400).toFixed(1), 'days; upstream hits', up.count());
gw.p.kill('SIGTERM'); up.srv.close(); up.srv.closeAllConnections(); process.exit(0);
