// A2: the gateway under an operator's fd limit (prlimit --nofile=256:256). Callers arrive steadily (10 every
// 100 ms) and each stream is held ~8 s by healthy upstreams, so after ~115 streams the gateway's own descriptor table
// is full. Its failed upstream connects (connect EMFILE: local, not the endpoint's) are charged to the endpoints:
// both breakers open, /healthz says every endpoint is down, and callers get 503 "no endpoint can take this request".
import { startChaos, writeConfig, twoEndpointConfig, startGateway, chat, healthz, sleep, cleanup } from './lib.mjs';
import { readdirSync } from 'node:fs';
import http from 'node:http';
const N = Number(process.env.N ?? 200);
const fds = (pid) => { try { return readdirSync(`/proc/${pid}/fd`).length; } catch { return 'gone'; } };
const stall = [{ when: { stream: true }, fault: { type: 'stall', afterTokens: 1, ms: 8000 } }];
const a = await startChaos('primary', stall); const b = await startChaos('backup', stall);
const config = writeConfig(twoEndpointConfig(a.url, b.url));
const gw = await startGateway({ config, pre: ['prlimit', '--nofile=256:256'] });
gw.child.stdout.on('data', () => {}); let stderr = ''; gw.child.stderr.on('data', (c) => (stderr += c));
const pid = gw.child.pid; const u = new URL(gw.url);
console.log(`gateway pid ${pid}, nofile 256, fds at rest ${fds(pid)}; ${N} streams, 10 every 100 ms`);
const outcomes = {}; const samples = {};
const note = (k, body) => { outcomes[k] = (outcomes[k] ?? 0) + 1; if (body !== undefined) samples[k] ??= body.slice(0, 260); };
const stream = () => new Promise((resolve) => {
  const req = http.request({ host: u.hostname, port: u.port, path: '/v1/chat/completions', method: 'POST', agent: false,
    headers: { authorization: 'Bearer gk', 'content-type': 'application/json' } }, (res) => {
    let body = ''; res.on('data', (c) => (body += c));
    res.on('end', () => note(`${res.statusCode} ${res.headers['x-detour-error'] ?? ''}`.trim(), res.statusCode === 200 ? undefined : body) || resolve());
    res.on('error', () => { note(`${res.statusCode} then body error`); resolve(); });
  });
  req.on('error', (e) => { note(`socket ${e.code}`); resolve(); });
  req.setTimeout(30000, () => { req.destroy(); note('client timeout'); resolve(); });
  req.end(JSON.stringify({ model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] }));
});
const t0 = Date.now(); const pending = [];
let probing = true;
(async () => { let last = ''; while (probing) { const h = await healthz(gw.url, 1500); const states = h.status === 'ERR' ? h.body : JSON.parse(h.body).endpoints.map((e) => `${e.name}:${e.breaker}`).join(','); const line = `healthz ${h.status} ${states}`; if (line !== last) console.log(`t=${((Date.now() - t0) / 1000).toFixed(1)}s fds=${fds(pid)} ${line}`); last = line; await sleep(250); } })();
for (let i = 0; i < N; i += 10) { for (let k = 0; k < 10; k++) pending.push(stream()); await sleep(100); }
await Promise.all(pending);
console.log(`all ${N} settled at t=${((Date.now() - t0) / 1000).toFixed(1)}s; outcomes`, outcomes);
for (const [k, v] of Object.entries(samples)) console.log(`  body of "${k}": ${v}`);
await sleep(1500); probing = false; await sleep(300);
const m = await (await fetch(`${gw.url}/metrics`)).text();
console.log(m.split('\n').filter((l) => /^detour_(attempts_total|breaker_state|failovers)/.test(l)).join('\n'));
const r = await chat(gw.url);
console.log(`fds now ${fds(pid)}; a plain request: ${r.status} ${r.err ?? ''} ${r.status !== 200 ? r.text.slice(0, 200) : ''}`);
await sleep(5000); console.log(`fds 5 s later (upstream keep-alive is 4 s): ${fds(pid)}`);
console.log('gateway stderr:', JSON.stringify(stderr.slice(0, 300)));
cleanup(); process.exit(0);
