import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import fs from 'node:fs';
export const UPKEY = 'sk-SECRET-upstream-key-0123456789abcdef';
export const GK = 'gk-test-key-xyz';
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const watchdog = (ms) => setTimeout(() => { console.log('WATCHDOG exit'); process.exit(2); }, ms).unref();
const children = new Set();
process.on('exit', () => { for (const c of children) try { c.kill('SIGKILL'); } catch {} });
export const freePort = () => new Promise((r) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }); });
export async function startRedis(port) {
  port ??= await freePort();
  const child = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  children.add(child);
  for (let i = 0; i < 50; i++) { if (await redisCli(port, ['PING']).then((o) => o.trim() === 'PONG', () => false)) break; await sleep(50); }
  return { port, url: `redis://127.0.0.1:${port}`, child, stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGKILL'); children.delete(child); }) };
}
export const redisCli = (port, args) => new Promise((res, rej) => {
  const c = spawn('redis-cli', ['-p', String(port), ...args]); let out = ''; let err = '';
  c.stdout.on('data', (d) => (out += d)); c.stderr.on('data', (d) => (err += d));
  c.on('exit', (code) => (code === 0 ? res(out) : rej(new Error(err || out))));
});
// tiny OpenAI upstream. behaviour(req, body, res) may override; returns true if handled
export function startUpstream({ name = 'up', behaviour } = {}) {
  const stats = { count: 0, byModel: {}, auth: [] };
  const server = http.createServer(async (req, res) => {
    let body = ''; for await (const c of req) body += c;
    stats.count++; stats.auth.push(req.headers.authorization);
    let json = {}; try { json = JSON.parse(body); } catch {}
    stats.byModel[json.model] = (stats.byModel[json.model] ?? 0) + 1;
    if (behaviour && (await behaviour(req, json, res, stats))) return;
    const headers = { 'content-type': 'application/json', 'x-ratelimit-limit-requests': '10000', 'x-ratelimit-remaining-requests': '9999', 'x-ratelimit-reset-requests': '6ms', 'x-ratelimit-limit-tokens': '1000000', 'x-ratelimit-remaining-tokens': '999000', 'x-ratelimit-reset-tokens': '60ms' };
    if (json.stream) {
      res.writeHead(200, { ...headers, 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: json.model, choices: [{ index: 0, delta: { role: 'assistant', content: `hi from ${name}` }, finish_reason: null }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: json.model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    res.writeHead(200, headers);
    res.end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model: json.model, choices: [{ index: 0, message: { role: 'assistant', content: `hi from ${name}` }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } }));
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => { server.stats = stats; server.port = server.address().port; server.url = `http://127.0.0.1:${server.port}/v1`; r(server); }));
}
export const closeServer = (s) => { s.closeAllConnections?.(); s.close(); };
export async function startGateway({ config, dir = '/tmp/attack7a', tag = 'gw', env = {}, args = [] }) {
  const file = `${dir}/cfg-${tag}-${process.pid}.json`;
  fs.writeFileSync(file, JSON.stringify(config));
  const logs = [];
  const child = spawn(process.execPath, ['/work/main/apps/worker/bin/detour-gateway.js', '--config', file, '--port', '0', ...args], { env: { ...process.env, UPSTREAM_KEY: UPKEY, GW_KEY: GK, ...env } });
  children.add(child);
  const t0 = Date.now();
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => { out += d; logs.push(String(d)); const m = /listening on (http:\/\/\S+)/.exec(out); if (m) resolve(m[1]); });
    child.stderr.on('data', (d) => { logs.push('ERR ' + d); out += d; });
    child.on('exit', (c) => reject(new Error('gateway exited ' + c + out)));
    setTimeout(() => reject(new Error('gateway start timeout: ' + out)), 15000);
  }).catch((e) => ({ error: e }));
  return { url: url.error ? undefined : url.replace(/\/$/, ''), error: url.error, startMs: Date.now() - t0, child, logs, stop: () => { child.kill('SIGKILL'); children.delete(child); } };
}
export const gwConfig = (endpoints, extra = {}) => ({ endpoints: endpoints.map((e) => ({ apiKey: { env: 'UPSTREAM_KEY' }, ...e })), gatewayKeys: [{ env: 'GW_KEY' }], ...extra });
export async function chat(base, model = 'gpt-4o-mini', { timeoutMs = 10000, stream = false, headers = {} } = {}) {
  const t0 = Date.now();
  try {
    const r = await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${GK}`, ...headers }, body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'SECRET-PROMPT-hello' }] }), signal: AbortSignal.timeout(timeoutMs) });
    const text = await r.text();
    return { status: r.status, ms: Date.now() - t0, text, endpoint: r.headers.get('x-detour-endpoint') };
  } catch (e) { return { status: 'ERR ' + e.name, ms: Date.now() - t0 }; }
}
// TCP proxy with modes: 'pass', 'delay:<ms>', 'blackhole'
export function startProxy(targetPort) {
  const state = { mode: 'pass', sockets: new Set(), conns: 0 };
  const server = net.createServer((client) => {
    state.conns++;
    const upstream = net.connect(targetPort, '127.0.0.1');
    state.sockets.add(client); state.sockets.add(upstream);
    const held = [];
    state.flushers = state.flushers ?? new Set();
    state.flushers.add(() => { while (held.length) { const [to, d] = held.shift(); if (!to.destroyed) to.write(d); } });
    const relay = (from, to) => from.on('data', (d) => {
      const m = state.mode;
      if (m === 'drop') return;
      if (m === 'blackhole' || held.length) { held.push([to, d]); return; }
      if (m.startsWith('delay:')) { setTimeout(() => to.write(d), Number(m.slice(6))); return; }
      to.write(d);
    });
    relay(client, upstream); relay(upstream, client);
    const end = () => { client.destroy(); upstream.destroy(); state.sockets.delete(client); state.sockets.delete(upstream); };
    client.on('error', end); upstream.on('error', end); client.on('close', end); upstream.on('close', end);
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => { state.port = server.address().port; state.url = `redis://127.0.0.1:${state.port}`; state.server = server; state.release = () => { state.mode = 'pass'; for (const f of state.flushers ?? []) f(); }; state.close = () => { for (const s of state.sockets) s.destroy(); server.close(); }; r(state); }));
}
