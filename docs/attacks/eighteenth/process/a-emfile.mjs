// The gateway under an operator's fd limit (prlimit --nofile=256:256, like LimitNOFILE=256 / a container default),
// with more concurrent streams than it has descriptors. Upstreams hold each stream open ~12 s.
import { startChaos, writeConfig, twoEndpointConfig, startGateway, chat, healthz, sleep, cleanup, exitOf } from './lib.mjs';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
const N = Number(process.env.N ?? 300);
const fds = (pid) => { try { return readdirSync(`/proc/${pid}/fd`).length; } catch { return 'gone'; } };
const cpu = (pid) => { try { const s = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(s[11]) + Number(s[12])) / 100; } catch { return NaN; } };
const stall = [{ when: { stream: true }, fault: { type: 'stall', afterTokens: 1, ms: 12000 } }];
const a = await startChaos('primary', stall); const b = await startChaos('backup', stall);
const config = writeConfig(twoEndpointConfig(a.url, b.url));
const gw = await startGateway({ config, pre: ['prlimit', '--nofile=256:256'] });
let stderr = ''; gw.child.stderr.on('data', (c) => (stderr += c)); gw.child.stdout.on('data', () => {});
const pid = gw.child.pid; const u = new URL(gw.url);
console.log(`gateway pid ${pid}, nofile 256, fds at rest ${fds(pid)}; opening ${N} concurrent streams`);
const outcomes = {}; const errors = {};
const note = (k) => (outcomes[k] = (outcomes[k] ?? 0) + 1);
const stream = () => new Promise((resolve) => {
  const req = http.request({ host: u.hostname, port: u.port, path: '/v1/chat/completions', method: 'POST', agent: false,
    headers: { authorization: 'Bearer gk', 'content-type': 'application/json' } }, (res) => {
    let body = ''; res.on('data', (c) => (body += c));
    res.on('end', () => { const k = `${res.statusCode} ${res.headers['x-detour-error'] ?? ''}`.trim(); note(k); if (res.statusCode !== 200) errors[k] ??= body.slice(0, 300); resolve(); });
    res.on('error', () => { note(`${res.statusCode} then body error`); resolve(); });
  });
  req.on('error', (e) => { note(`socket ${e.code}`); resolve(); });
  req.setTimeout(40000, () => { req.destroy(); note('client timeout 40s'); resolve(); });
  req.end(JSON.stringify({ model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] }));
});
const c0 = cpu(pid); const t0 = Date.now();
const all = Promise.all(Array.from({ length: N }, stream));
for (let i = 0; i < 3; i++) { await sleep(2000); console.log(`t=${(Date.now() - t0) / 1000}s fds=${fds(pid)} cpu=${(cpu(pid) - c0).toFixed(2)}s`); }
const h = await healthz(gw.url, 3000);
console.log('/healthz under load:', h.status, h.ms + 'ms', h.body.slice(0, 200));
await all;
console.log(`all ${N} streams settled after ${(Date.now() - t0) / 1000}s; gateway cpu used ${(cpu(pid) - c0).toFixed(2)}s; outcomes`, outcomes);
for (const [k, v] of Object.entries(errors)) console.log(`  sample body for "${k}": ${v}`);
await sleep(1000);
console.log(`fds after: ${fds(pid)}`);
const h2 = await healthz(gw.url, 3000);
console.log('/healthz after the load is gone:', h2.status, h2.body.slice(0, 600));
const r = await chat(gw.url);
console.log('a plain request after:', r.status, r.endpoint, r.err ?? '', r.status !== 200 ? r.text.slice(0, 300) : '');
const m = await (await fetch(`${gw.url}/metrics`)).text();
console.log(m.split('\n').filter((l) => /^detour_(attempts_total|breaker_state|endpoint_available|requests_total)/.test(l)).join('\n'));
console.log('gateway alive:', gw.child.exitCode === null && gw.child.signalCode === null, 'stderr:', stderr.slice(0, 400));
cleanup(); process.exit(0);
