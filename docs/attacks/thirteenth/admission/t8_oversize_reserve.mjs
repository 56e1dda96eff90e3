// a LOW request with an oversize max_tokens takes the whole bucket, ignoring the priority reserve
import { startUpstream, startGateway, chat, healthz } from './lib.mjs';
const up = await startUpstream(() => ({}), { delayMs: 3000 });
const gw = await startGateway({ endpoints: [{ name: 'a', baseUrl: up.url, apiKey: 'sk', limits: { rpm: 1000, tpm: 6000 } }], gatewayKeys: ['gk', { key: 'low', priority: 'low' }] });
const q = async () => JSON.stringify((await healthz(gw)).endpoints[0].quotaRemaining);
const mt = +(process.argv[2] || 1e12);
const lowP = chat(gw, { key: 'low', body: { max_tokens: mt } }); await new Promise(r => setTimeout(r, 300));
console.log('low max_tokens', mt, 'in flight; quota now', await q(), '(low reserve should be 2 s of refill = 200 tokens)');
const hi = await chat(gw, { headers: { 'x-detour-priority': 'high' }, body: { max_tokens: 150 } });
console.log('high (needs ~160 tokens):', hi.status, hi.ra, 'total', hi.ms + 'ms (upstream takes 3000ms)');
console.log('low', (await lowP).status);
gw.p.kill('SIGTERM'); up.srv.close(); up.srv.closeAllConnections(); process.exit(0);
