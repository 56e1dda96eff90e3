// stream cut / reset / stall+client-abort: reservations released and quota settled?
import { startChaosUpstream } from '/tmp/atk13a/packages/testkit/dist/index.js';
import { startGateway, healthz } from './lib.mjs';
const up = await startChaosUpstream({ name: 'u' });
const gw = await startGateway({ endpoints: [{ name: 'a', baseUrl: up.baseUrl, apiKey: 'sk', limits: { rpm: 100000, tpm: 6000000 } }], gatewayKeys: ['gk'], router: { maxAttempts: 1, rescue: 'off' } });
const faults = [{ type: 'cut-stream', afterChunks: 3 }, { type: 'cut-stream', afterChunks: 3, mode: 'reset' }, { type: 'stall', afterTokens: 2 }, { type: 'status', status: 500 }];
for (const f of faults) {
  up.setScript([{ fault: f }]);
  const ac = new AbortController(); setTimeout(() => ac.abort(), 1500);
  let st; try { const r = await fetch(gw.url + '/v1/chat/completions', { method: 'POST', signal: ac.signal, headers: { authorization: 'Bearer gk', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, max_tokens: 3000000, messages: [{ role: 'user', content: 'hi' }] }) }); st = r.status; await r.text(); } catch (e) { st = st + '/' + e.name; }
  await new Promise(r => setTimeout(r, 400));
  const hz = await healthz(gw); console.log(JSON.stringify(f).padEnd(50), st, 'queue', JSON.stringify(hz.queue), 'tokens left', hz.endpoints[0].quotaRemaining.tokens);
}
gw.p.kill('SIGTERM'); await up.close(); process.exit(0);
