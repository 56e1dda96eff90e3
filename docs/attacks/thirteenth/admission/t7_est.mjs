// estimate gaming against configured tpm: negative / huge / float max_tokens and n; look at quotaRemaining while in flight
import { startUpstream, startGateway, chat, healthz } from './lib.mjs';
const up = await startUpstream(() => ({}), { delayMs: 800 });
const gw = await startGateway({ endpoints: [{ name: 'a', baseUrl: up.url, apiKey: 'sk', limits: { rpm: 1000, tpm: 10000 } }], gatewayKeys: ['gk'] });
const q = async () => JSON.stringify((await healthz(gw)).endpoints[0].quotaRemaining);
console.log('start', await q());
for (const body of [{ max_tokens: -1e9 }, { max_tokens: -1e9, n: -5 }, { max_completion_tokens: -1e9 }, { max_tokens: 1e12 }, { max_tokens: 100, n: 1e6 }, { max_tokens: '5000' }, { max_tokens: 1e-9 }, { max_tokens: 100, n: 0.001 }]) {
  const p = chat(gw, { body }); await new Promise(r => setTimeout(r, 300));
  const during = await q(); const r = await p; await new Promise(r => setTimeout(r, 100));
  console.log(JSON.stringify(body).padEnd(36), 'during', during, '->', r.status, r.ra, r.ms + 'ms', 'after', await q());
}
gw.p.kill('SIGTERM'); up.srv.close(); up.srv.closeAllConnections(); process.exit(0);
