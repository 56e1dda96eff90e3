// isolate: which lying headers freeze an endpoint for a day or report a reset > 1 day
import { startUpstream, startGateway, chat, healthz } from './lib.mjs';
const cases = {
  r999999h_lim1: { 'x-ratelimit-limit-requests': '1', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '999999h' },
  r999999h_lim2_rem1: { 'x-ratelimit-limit-requests': '2', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '999999h' },
  r429_ra1e9: { ':status': 429, 'retry-after': '1e9' },
  r429_ra999999: { ':status': 429, 'retry-after': '999999' },
  r200_lim10_rem0_24h: { 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '24h' },
};
for (const [name, h] of Object.entries(cases)) {
  const up = await startUpstream((n) => n === 1 ? { ...h } : {});
  const gw = await startGateway({ endpoints: [{ name: 'a', baseUrl: up.url, apiKey: 'sk' }], gatewayKeys: ['gk'], router: { maxAttempts: 1 } });
  const a = await chat(gw); const b = await chat(gw);
  const ep = (await healthz(gw)).endpoints[0];
  console.log(name.padEnd(20), a.status, b.status, 'ra=' + b.ra, JSON.stringify([ep.quotaRemaining, ep.quotaResetSeconds, ep.status ?? ep.state, ep.cooldownSeconds ?? ep.cooldownUntil]), 'hits', up.count());
  gw.p.kill('SIGTERM'); up.srv.close(); up.srv.closeAllConnections();
}
process.exit(0);
