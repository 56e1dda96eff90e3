// Lying upstream headers: does admission freeze / throw?
import { startUpstream, startGateway, chat, healthz } from './lib.mjs';
const cases = {
  zeroLimit: { 'x-ratelimit-limit-requests': '0', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1s' },
  negative: { 'x-ratelimit-limit-requests': '-5', 'x-ratelimit-remaining-requests': '-5', 'x-ratelimit-reset-requests': '-5s' },
  huge: { 'x-ratelimit-limit-requests': '1e308', 'x-ratelimit-remaining-requests': '1e308', 'x-ratelimit-reset-requests': '1e9s' },
  nan: { 'x-ratelimit-limit-requests': 'NaN', 'x-ratelimit-remaining-requests': 'NaN', 'x-ratelimit-reset-requests': 'NaNs' },
  remGtLimit: { 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '1000', 'x-ratelimit-reset-requests': '1s' },
  remZeroResetHuge: { 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1e9s' },
  remZeroResetNeg: { 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '-5s' },
  mixedDur: { 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1h2m3.5s' },
  infinity: { 'x-ratelimit-limit-tokens': 'Infinity', 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': 'Infinitys' },
  tokTiny: { 'x-ratelimit-limit-tokens': '1', 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '60s' },
  remZeroNoReset: { 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '0' },
};
const only = process.argv[2];
for (const [name, h] of Object.entries(cases)) {
  if (only && name !== only) continue;
  const up = await startUpstream((n) => n === 1 ? h : {});
  const gw = await startGateway({ endpoints: [{ name: 'a', baseUrl: up.url, apiKey: 'sk' }], gatewayKeys: ['gk'] });
  const out = [];
  for (let i = 0; i < 3; i++) { const r = await chat(gw); out.push(`${r.status}/${r.ra}/${r.ms}ms`); }
  const hz = await healthz(gw);
  const ep = (hz.endpoints || [])[0] || hz;
  console.log(name.padEnd(18), out.join(' '), 'upstreamHits=' + up.count(), JSON.stringify({ q: ep.quotaRemaining, r: ep.quotaResetSeconds }));
  gw.p.kill('SIGTERM'); up.srv.close(); up.srv.closeAllConnections();
}
process.exit(0);
