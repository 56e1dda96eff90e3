// Per-request cost of gateway-key checking with many gateway keys (one per team/service): closed loop, 20 conns,
// 3 s (first 1 s discarded), with the last configured key, and with a wrong key (401, answered before routing).
import { Agent, request } from '/tmp/attack18c/repo/node_modules/.pnpm/node_modules/undici/index.js';
import { startProc, stop, writeConfig, endpointsFor, CLI, CHAOS, hr, pct } from './gwlib.mjs';
const up = await startProc([CHAOS, '--port', '0', '--name', 'up']);
const agent = new Agent({ connections: 32 });
const body = JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] });
for (const K of [1, 1000, 5000, 20000]) {
  const keys = Array.from({ length: K }, (_, i) => ({ key: `gk-team-${String(i).padStart(5, '0')}-${'x'.repeat(24)}`, name: `team-${i}` }));
  const gw = await startProc([CLI, '--config', writeConfig(`gk-${K}`, { endpoints: endpointsFor(2, up.url + '/v1'), gatewayKeys: keys }), '--port', '0']);
  for (const which of ['valid', 'wrong']) {
    const H = { authorization: `Bearer ${which === 'valid' ? keys[K - 1].key : 'gk-nope-' + 'y'.repeat(30)}`, 'content-type': 'application/json' };
    const lat = []; const st = {}; const warm = hr() + 1000, end = hr() + 3000;
    await Promise.all(Array.from({ length: 20 }, async () => { while (hr() < end) { const a = hr(); const r = await request(gw.url + '/v1/chat/completions', { method: 'POST', body, headers: H, dispatcher: agent }); await r.body.text(); if (a > warm) { lat.push(hr() - a); st[r.statusCode] = (st[r.statusCode] ?? 0) + 1; } } }));
    console.log(`gatewayKeys=${String(K).padStart(5)} ${which}: ${(lat.length / 2).toFixed(0)} req/s p50=${pct(lat, .5).toFixed(2)}ms p99=${pct(lat, .99).toFixed(2)}ms ${JSON.stringify(st)}`);
  }
  await stop(gw);
}
await stop(up); await agent.close();
