import http from 'node:http';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
// Lying upstream: headers(reqNo, body) -> header object
export function startUpstream(headersFn, opts = {}) {
  let n = 0;
  const srv = http.createServer((req, res) => {
    let b = ''; req.on('data', c => b += c); req.on('end', () => {
      n++; let body = {}; try { body = JSON.parse(b); } catch {}
      const h = headersFn(n, body, req) || {};
      const status = h[':status'] || 200; delete h[':status'];
      const delay = opts.delayMs || 0;
      setTimeout(() => {
        res.writeHead(status, { 'content-type': 'application/json', date: new Date().toUTCString(), ...h });
        res.end(JSON.stringify(status === 200 ? { id: 'x', object: 'chat.completion', created: 1, model: body.model || 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } } : { error: { message: 'err', type: 'rate_limit_exceeded' } }));
      }, delay);
    });
  });
  return new Promise(r => srv.listen(0, '127.0.0.1', () => r({ srv, url: `http://127.0.0.1:${srv.address().port}/v1`, count: () => n })));
}
export function startGateway(config) {
  const f = `/tmp/atk13a/atk/cfg-${process.pid}-${Math.random().toString(36).slice(2)}.json`;
  fs.writeFileSync(f, JSON.stringify(config));
  const p = spawn(process.execPath, ['/tmp/atk13a/apps/worker/dist/cli.js', '--config', f, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = ''; p.stderr.on('data', d => err += d);
  return new Promise((res, rej) => {
    let out = '';
    p.stdout.on('data', d => { out += d; const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)/); if (m) res({ p, url: `http://127.0.0.1:${m[1]}`, err: () => err }); });
    p.on('exit', c => rej(new Error('gw exit ' + c + ' ' + err + out)));
    setTimeout(() => rej(new Error('timeout ' + out + err)), 10000);
  });
}
export async function chat(gw, { key = 'gk', headers = {}, body = {}, signal } = {}) {
  const t0 = Date.now();
  try {
    const r = await fetch(gw.url + '/v1/chat/completions', { method: 'POST', signal, headers: { authorization: 'Bearer ' + key, 'content-type': 'application/json', ...headers }, body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }], ...body }) });
    const txt = await r.text();
    return { status: r.status, ra: r.headers.get('retry-after'), body: txt.slice(0, 300), ms: Date.now() - t0 };
  } catch (e) { return { status: 'ERR ' + e.name, ms: Date.now() - t0 }; }
}
export async function healthz(gw) { const r = await fetch(gw.url + '/healthz', { headers: { authorization: 'Bearer gk' } }); return r.json(); }
