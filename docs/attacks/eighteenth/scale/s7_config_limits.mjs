// Config edges a team at scale hits: duplicate names, long names, 5,000 endpoints, 200 endpoints x 1,000 models,
// 5,000 gateway keys (auth cost per request).
import { execFileSync } from 'node:child_process';
import { Agent, request } from '/tmp/attack18c/repo/node_modules/.pnpm/node_modules/undici/index.js';
import { startProc, stop, writeConfig, endpointsFor, CLI, CHAOS, hr, pct } from './gwlib.mjs';
const check = (label, cfg) => { const f = writeConfig('lim', cfg); const t = hr(); let out, code = 0;
  try { out = execFileSync('nice', ['-n', '19', process.execPath, CLI, '--check', '--config', f], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 }); } catch (e) { out = (e.stdout ?? '') + (e.stderr ?? ''); code = e.status; }
  console.log(`${label}: --check exit ${code} in ${(hr() - t).toFixed(0)}ms, ${out.length} B; first lines: ${JSON.stringify(out.split('\n').slice(0, 3).join(' | ').slice(0, 240))}`); };
const base = 'http://127.0.0.1:9/v1';
check('duplicate names', { endpoints: [...endpointsFor(2, base), { ...endpointsFor(1, base)[0], apiKey: 'sk-other-xxxxxxxxxxxx' }], gatewayKeys: ['gk-aaaaaaaaaaaaaaaa'] });
check('name 200 chars', { endpoints: [{ name: 'a'.repeat(200), baseUrl: base, apiKey: 'sk-xxxxxxxxxxxxxxxxxxxx' }], gatewayKeys: ['gk-aaaaaaaaaaaaaaaa'] });
check('5000 endpoints', { endpoints: endpointsFor(5000, base), gatewayKeys: ['gk-aaaaaaaaaaaaaaaa'] });
check('200 endpoints x 1000 models', { endpoints: endpointsFor(200, base, () => ({ models: Object.fromEntries(Array.from({ length: 1000 }, (_, j) => [`m-${j}`, `dep-${j}`])) })), gatewayKeys: ['gk-aaaaaaaaaaaaaaaa'] });
// Auth with many gateway keys: per-request cost.
const up = await startProc([CHAOS, '--port', '0', '--name', 'up']);
const agent = new Agent({ connections: 32 });
for (const K of [1, 1000, 5000]) {
  const keys = Array.from({ length: K }, (_, i) => ({ key: `gk-team-${String(i).padStart(5, '0')}-${'x'.repeat(24)}`, name: `team-${i}` }));
  const f = writeConfig(`gk-${K}`, { endpoints: endpointsFor(2, up.url + '/v1'), gatewayKeys: keys });
  const gw = await startProc([CLI, '--config', f, '--port', '0']);
  const body = JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] });
  const H = { authorization: `Bearer ${keys[K - 1].key}`, 'content-type': 'application/json' };
  const lat = []; const end = hr() + 3000; let warm = hr() + 1000;
  await Promise.all(Array.from({ length: 20 }, async () => { while (hr() < end) { const a = hr(); const r = await request(gw.url + '/v1/chat/completions', { method: 'POST', body, headers: H, dispatcher: agent }); await r.body.text(); if (a > warm) lat.push(hr() - a); } }));
  console.log(`gatewayKeys=${K}: start ${gw.startMs.toFixed(0)}ms, ${(lat.length / 2).toFixed(0)} req/s p50=${pct(lat, .5).toFixed(2)}ms p99=${pct(lat, .99).toFixed(2)}ms`);
  await stop(gw);
}
await stop(up); await agent.close();
