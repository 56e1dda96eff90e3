// does a tiny max_tokens (1e-9, 0) skip reserving the PROMPT tokens?
import { startUpstream, startGateway, chat, healthz } from './lib.mjs';
const up = await startUpstream(() => ({}), { delayMs: 800 });
const gw = await startGateway({ endpoints: [{ name: 'a', baseUrl: up.url, apiKey: 'sk', limits: { rpm: 1000, tpm: 100000 } }], gatewayKeys: ['gk'] });
const q = async () => (await healthz(gw)).endpoints[0].quotaRemaining.tokens;
const prompt = 'a'.repeat(40000);
for (const body of [{ max_tokens: 10 }, { max_tokens: 1e-9 }, { max_tokens: 0 }, { max_tokens: 0.5 }, { n: 0 }, { n: 1e-9, max_tokens: 10 }]) {
  const p = chat(gw, { body: { ...body, messages: [{ role: 'user', content: prompt }] } }); await new Promise(r => setTimeout(r, 300));
  console.log(JSON.stringify(body).padEnd(30), 'reserved while in flight', 100000 - await q(), '(prompt ~10004)'); await p; await new Promise(r => setTimeout(r, 200));
}
gw.p.kill('SIGTERM'); up.srv.close(); up.srv.closeAllConnections(); process.exit(0);
