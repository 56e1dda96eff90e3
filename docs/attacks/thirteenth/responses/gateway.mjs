// Gateway path: last "\n" split (Responses), raw hostile paths, JSON 200 error, completed-with-status-failed.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import OpenAI from 'openai';
import { start, sse, events, ev } from './upstream.mjs';
const all = events('resp_A').join(''); const base = events('resp_A');
let cur = 'lastnl';
const A = await start((req, r) => {
  if (req.method !== 'POST') { r.writeHead(404, { 'content-type': 'application/json' }); return r.end('{"error":{"message":"nf:' + req.url + '"}}'); }
  if (cur === 'lastnl') { sse(r); r.write(all.slice(0, -1)); setTimeout(() => r.end('\n'), 30); }
  else if (cur === 'normal') { sse(r); r.end(all); }
});
writeFileSync('/tmp/atk13c/atk/gw.json', JSON.stringify({ endpoints: [{ name: 'A', baseUrl: A.url, apiKey: 'sk-a' }] }));
const gw = spawn(process.execPath, ['/tmp/atk13c/apps/worker/dist/cli.js', '--config', '/tmp/atk13c/atk/gw.json', '--port', '0', '--allow-unauthenticated'], { stdio: ['ignore', 'pipe', 'pipe'] });
const url = await new Promise((res) => { let o = ''; gw.stdout.on('data', (d) => { o += d; const m = o.match(/http:\/\/[\d.]+:\d+/); if (m) res(m[0]); }); gw.stderr.on('data', (d) => (o += d)); setTimeout(() => res(null), 8000); });
console.log('gateway at', url);
const c = new OpenAI({ apiKey: 'x', baseURL: url + '/v1', maxRetries: 0 });
for (const s of ['normal', 'lastnl']) {
  cur = s; const types = []; let threw = null;
  try { for await (const e of await c.responses.create({ model: 'm', input: 'hi', stream: true })) types.push(e.type); } catch (e) { threw = e.message; }
  console.log(`gateway ${s}: events=${types.length} last=${types.at(-1)} threw=${threw}`);
}
// raw hostile paths (no client-side URL normalisation)
const raw = (path, method = 'GET') => new Promise((res) => { const u = new URL(url); const sock = net.connect(+u.port, u.hostname, () => sock.write(`${method} ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)); let d = ''; sock.on('data', (x) => (d += x)); sock.on('end', () => res(d)); sock.on('error', (e) => res('ERR ' + e.message)); setTimeout(() => { sock.destroy(); res(d + ' [timeout]'); }, 5000); });
for (const p of ['/v1/responses/../models', '/v1/responses/..%2F..%2Fmodels', '/v1/responses/%2e%2e/%2e%2e/models', '/v1/responses/__proto__', '/v1/responses/' + 'a'.repeat(10000), '/v1/responses/x/cancel/../../../chat/completions']) {
  A.seen.length = 0;
  const out = await raw(p, p.endsWith('completions') ? 'POST' : 'GET');
  console.log(`RAW ${p.slice(0, 50)} -> ${out.split('\r\n')[0]} | ${(out.split('\r\n\r\n')[1] ?? '').slice(0, 90).replace(/\s+/g, ' ')} | upstream saw: ${A.seen.map((x) => x.method + ' ' + x.url.slice(0, 60)).join(',')}`);
}
gw.kill('SIGTERM'); A.srv.close(); setTimeout(() => process.exit(0), 500);
