// 1,000 endpoints, every one served a few requests (so each has its series). Then: 50 req/s of chat for 6 s,
// alone, then with an unauthenticated caller fetching /metrics in a loop (1 at a time), then with /healthz in a loop.
import { Agent, request } from '/tmp/attack18c/repo/node_modules/.pnpm/node_modules/undici/index.js';
import { startProc, stop, writeConfig, endpointsFor, CLI, CHAOS, hr, pct } from './gwlib.mjs';
const N = Number(process.env.N ?? 1000);
const up = await startProc([CHAOS, '--port', '0', '--name', 'up']);
const file = writeConfig(`stall-${N}`, { endpoints: endpointsFor(N, up.url + '/v1'), gatewayKeys: ['gk-test-aaaaaaaaaaaa'] });
const gw = await startProc([CLI, '--config', file, '--port', '0']);
const agent = new Agent({ connections: 64 });
const body = JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] });
const H = { authorization: 'Bearer gk-test-aaaaaaaaaaaa', 'content-type': 'application/json' };
const chat = async () => { const r = await request(gw.url + '/v1/chat/completions', { method: 'POST', body, headers: H, dispatcher: agent }); await r.body.text(); return r.statusCode; };
let k = 0; await Promise.all(Array.from({ length: 10 }, async () => { while (k++ < 3 * N) await chat(); }));
const phase = async (label, side) => {
  let stopSide = false; let sideCount = 0; let sideBytes = 0; const sideLat = [];
  const sideLoop = side && (async () => { while (!stopSide) { const a = hr(); const r = await request(gw.url + side, { dispatcher: agent }); const t = await r.body.text(); sideLat.push(hr() - a); sideCount++; sideBytes = t.length; } })();
  const lat = []; const rate = 50, secs = 6; const start = hr(); const ps = [];
  for (let i = 0; i < rate * secs; i++) { const at = start + (i * 1000) / rate; const wait = at - hr(); if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    ps.push((async () => { const a = hr(); await chat(); lat.push(hr() - at); })()); }
  await Promise.all(ps); stopSide = true; await sideLoop;
  console.log(`N=${N} ${label.padEnd(16)} chat p50=${pct(lat, .5).toFixed(1)}ms p99=${pct(lat, .99).toFixed(1)}ms max=${Math.max(...lat).toFixed(1)}ms` + (side ? ` | ${side}: ${sideCount} fetched in 6 s, ${sideBytes} B each, p50 ${pct(sideLat, .5).toFixed(0)}ms` : ''));
};
await phase('chat alone', null);
await phase('+ /metrics loop', '/metrics');
await phase('+ /healthz loop', '/healthz');
await stop(gw); await stop(up); await agent.close();
