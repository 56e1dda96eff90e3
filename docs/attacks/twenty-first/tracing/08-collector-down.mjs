// 08: tracing "otlp" with a collector that is fine / hangs / answers 500 / is down: request latency, gateway RSS,
// and how long SIGTERM takes. Usage: node 08-collector-down.mjs <ok|hang|500|down> [requests]
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { upstream, ok, sleep } from './lib.mjs';
import { receiver, startGateway, freePort } from './gw.mjs';
const mode = process.argv[2] ?? 'ok'; const N = Number(process.argv[3] ?? 3000);
const rec = mode === 'down' ? undefined : await receiver({ mode });
const collectorUrl = rec?.url ?? `http://127.0.0.1:${await freePort()}`;
const A = await upstream('A', (q, r, n, b) => ok(r, b?.model));
const GK = 'gk-0123456789abcdef';
const gw = await startGateway({ endpoints: [{ name: 'A', baseUrl: A.baseUrl, apiKey: 'sk-a' }], gatewayKeys: [GK], tracing: 'otlp' }, { OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl, OTEL_BSP_SCHEDULE_DELAY: '500' });
const rss = () => { try { return Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${gw.child.pid}/status`, 'utf8'))[1]) / 1024); } catch { return -1; } };
const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
const post = () => new Promise((resolve) => { const s = performance.now(); const req = http.request(`${gw.url}/v1/chat/completions`, { agent, method: 'POST', headers: { authorization: `Bearer ${GK}`, 'content-type': 'application/json' } }, (res) => { res.resume(); res.on('end', () => resolve([res.statusCode, performance.now() - s])); }); req.on('error', () => resolve(['ERR', performance.now() - s])); req.end(JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] })); });
const rss0 = rss(); const lat = []; const codes = {}; const t0 = Date.now(); let next = 0; const rssSeen = [];
await Promise.all(Array.from({ length: 10 }, async () => { while (next < N) { next++; const [c, ms] = await post(); codes[c] = (codes[c] ?? 0) + 1; lat.push(ms); if (next % 1000 === 0) rssSeen.push(rss()); } }));
const wall = Date.now() - t0; lat.sort((a, b) => a - b);
const q = (p) => lat[Math.floor(p * (lat.length - 1))].toFixed(1);
await sleep(1500);
const t1 = Date.now(); const exit = await gw.stop(Number(process.argv[4] ?? 8000)); const stopMs = Date.now() - t1;
console.log(`collector ${mode}: ${N} requests in ${wall}ms, HTTP ${JSON.stringify(codes)}, latency p50 ${q(0.5)}ms p99 ${q(0.99)}ms max ${q(1)}ms; gateway RSS ${rss0}MB -> ${JSON.stringify(rssSeen)}MB; collector posts ${rec?.posts ?? 'n/a'}, spans received ${rec?.spans.length ?? 'n/a'}; SIGTERM -> exit ${exit} after ${stopMs}ms`);
const errs = gw.output().split('\n').filter((l) => /otlp|export|error|timeout/i.test(l)).slice(0, 3);
if (errs.length) console.log('gateway output:', JSON.stringify(errs).slice(0, 500));
agent.destroy(); await rec?.close(); await A.close();
