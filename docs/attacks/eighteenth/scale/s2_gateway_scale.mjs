// Gateway at 1/50/200/1000 endpoints (one chaos upstream stands for all, distinct keys): start-up, RSS, --check,
// /healthz, /metrics, /admin/state size and time, and closed-loop throughput at 20 connections for 4 s.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Agent, request } from '/tmp/attack18c/repo/node_modules/.pnpm/node_modules/undici/index.js';
import { startProc, stop, writeConfig, endpointsFor, CLI, CHAOS, hr, pct } from './gwlib.mjs';
const up = await startProc([CHAOS, '--port', '0', '--name', 'up']);
const base = up.url + '/v1';
const agent = new Agent({ connections: 32 });
const vm = (pid) => { const s = readFileSync(`/proc/${pid}/status`, 'utf8'); return (Number(s.match(/VmRSS:\s+(\d+)/)[1]) / 1024).toFixed(0) + 'MB'; };
const get = async (url, headers = {}) => { const t = hr(); const r = await request(url, { dispatcher: agent, headers }); const b = await r.body.text(); return { status: r.statusCode, bytes: b.length, ms: hr() - t, text: b }; };
const ns = (process.env.NS ?? '1,50,200,1000').split(',').map(Number);
const models = Number(process.env.MODELS ?? 0);
for (const n of ns) {
  const cfg = { endpoints: endpointsFor(n, base, () => models ? { models: Object.fromEntries([['gpt-4.1-mini', 'gpt-4.1-mini'], ...Array.from({ length: models }, (_, j) => [`m-${j}`, `dep-${j}`])]) } : {}), gatewayKeys: ['gk-test-aaaaaaaaaaaa'], admin: { key: 'adm-test-bbbbbbbbbbbb' } };
  const file = writeConfig(`scale-${n}`, cfg);
  let t = hr(); let checkOut = '';
  try { checkOut = execFileSync('nice', ['-n', '19', process.execPath, CLI, '--check', '--config', file], { encoding: 'utf8', maxBuffer: 1 << 28 }); } catch (e) { checkOut = 'ERR ' + e.stdout + e.stderr; }
  const checkMs = hr() - t;
  const gw = await startProc([CLI, '--config', file, '--port', '0']);
  const rssStart = vm(gw.pid);
  const body = JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] });
  const H = { authorization: 'Bearer gk-test-aaaaaaaaaaaa', 'content-type': 'application/json' };
  // warm 1 s
  const load = async (ms) => { const lat = []; let ok = 0, bad = 0; const end = hr() + ms; const statuses = {};
    await Promise.all(Array.from({ length: 20 }, async () => { while (hr() < end) { const a = hr(); const r = await request(gw.url + '/v1/chat/completions', { method: 'POST', body, headers: H, dispatcher: agent }); await r.body.text(); lat.push(hr() - a); statuses[r.statusCode] = (statuses[r.statusCode] ?? 0) + 1; } }));
    return { rps: lat.length / (ms / 1000), p50: pct(lat, .5), p99: pct(lat, .99), statuses }; };
  await load(1500);
  const L = await load(4000);
  const hz = await get(gw.url + '/healthz');
  const me = await get(gw.url + '/metrics');
  const series = me.text.split('\n').filter((l) => l && !l.startsWith('#')).length;
  const ad = await get(gw.url + '/admin/state', { authorization: 'Bearer adm-test-bbbbbbbbbbbb' });
  const mo = await get(gw.url + '/v1/models', { authorization: 'Bearer gk-test-aaaaaaaaaaaa' });
  console.log(`n=${n} models/ep=${models} check=${checkMs.toFixed(0)}ms(${checkOut.length}B) start=${gw.startMs.toFixed(0)}ms rss0=${rssStart} rss1=${vm(gw.pid)} | rps=${L.rps.toFixed(0)} p50=${L.p50.toFixed(2)}ms p99=${L.p99.toFixed(2)}ms ${JSON.stringify(L.statuses)} | healthz ${hz.status} ${hz.bytes}B ${hz.ms.toFixed(1)}ms | metrics ${me.bytes}B ${series} series ${me.ms.toFixed(1)}ms | admin/state ${ad.status} ${ad.bytes}B ${ad.ms.toFixed(1)}ms | models ${mo.status} ${mo.bytes}B ${mo.ms.toFixed(1)}ms`);
  await stop(gw);
}
await stop(up); await agent.close();
