import http from 'node:http';
export { startChaosUpstream } from '/work/main/packages/testkit/dist/index.js';
export { createFetch } from '/work/main/packages/node/dist/index.js';
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Raw scripted upstream. handler(ctx) where ctx = {req, body, res, n, write(str), end(), reset(), json(status,obj)}
export async function startRaw(name, handler) {
  const reqs = [];
  let open = 0;
  const sockets = new Set();
  const server = http.createServer(async (req, res) => {
    let body = '';
    for await (const c of req) body += c;
    let parsed = null; try { parsed = JSON.parse(body); } catch {}
    const n = reqs.length + 1;
    reqs.push({ method: req.method, url: req.url, body: parsed, headers: req.headers, t: Date.now() });
    open++;
    let closed = false;
    res.on('close', () => { open--; closed = true; });
    const ctx = {
      req, body: parsed, res, n, get closed() { return closed; },
      sse(status = 200) { res.writeHead(status, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }); res.flushHeaders(); },
      write(s) { if (!closed) res.write(s); },
      ev(event, data) { if (!closed) res.write((event ? `event: ${event}\n` : '') + `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`); },
      end() { if (!closed) res.end(); },
      reset() { req.socket.resetAndDestroy ? req.socket.resetAndDestroy() : req.socket.destroy(); },
      json(status, obj, headers = {}) { res.writeHead(status, { 'content-type': 'application/json', ...headers }); res.end(JSON.stringify(obj)); },
    };
    try { await handler(ctx); } catch (e) { console.error(name, 'handler error', e); try { res.destroy(); } catch {} }
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  return {
    name, url: `http://127.0.0.1:${port}`, baseUrl: `http://127.0.0.1:${port}/v1`, reqs,
    get open() { return open; }, get sockets() { return sockets.size; },
    close() { for (const s of sockets) s.destroy(); return new Promise((r) => server.close(r)); },
  };
}
export function hardTimeout(ms) { setTimeout(() => { console.log('HARD TIMEOUT'); process.exit(3); }, ms).unref(); }
import { spawn } from 'node:child_process';
import fs from 'node:fs';
export async function startGateway(config, tag = 'gw') {
  const file = `/tmp/attack6b/${tag}.config.json`;
  fs.writeFileSync(file, JSON.stringify({ gatewayKeys: [{ env: 'DETOUR_GATEWAY_KEY' }], ...config }));
  const child = spawn('node', ['/work/main/apps/worker/dist/cli.js', '--config', file, '--port', '0', '--host', '127.0.0.1'], {
    env: { ...process.env, DETOUR_GATEWAY_KEY: 'gk-test' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stderr.on('data', (d) => { err += d; });
  const url = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('gateway start timeout ' + out + err)), 10000);
    child.stdout.on('data', (d) => { out += d; const m = out.match(/http:\/\/127\.0\.0\.1:\d+/); if (m) { clearTimeout(t); resolve(m[0]); } });
    child.on('exit', (c) => reject(new Error('gateway exited ' + c + err)));
  });
  return { url, baseUrl: url + '/v1', key: 'gk-test', child, get err() { return err; }, stop() { child.kill('SIGKILL'); } };
}
