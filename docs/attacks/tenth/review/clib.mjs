import http from 'node:http';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
export const REPO = process.env.REPO ?? '/tmp/attack10b/repo';
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const now = () => performance.now();

// upstream: handler(req, res, body, log) ; log collects per-request info
export async function upstream(handler) {
  const log = [];
  const server = http.createServer(async (req, res) => {
    const entry = { url: req.url, start: now(), closed: null, written: 0, bodyBytes: 0, headers: req.headers };
    log.push(entry);
    res.on('close', () => { entry.closed = now(); });
    const chunks = [];
    req.on('data', (c) => { chunks.push(c); entry.bodyBytes += c.length; });
    await new Promise((r) => req.on('end', r));
    const body = Buffer.concat(chunks);
    try { await handler(req, res, body, entry); } catch (e) { if (!res.destroyed) res.destroy(); }
  });
  server.keepAliveTimeout = 5000;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  return { server, port, log, url: `http://127.0.0.1:${port}/v1`, close: () => { server.closeAllConnections?.(); server.close(); } };
}

// write with back-pressure; returns false if response closed
export async function writeBP(res, data, entry) {
  if (res.destroyed || res.writableEnded) return false;
  const ok = res.write(data);
  if (entry) entry.written += data.length;
  if (!ok) {
    await new Promise((r) => { const done = () => { res.off('drain', done); res.off('close', done); r(); }; res.on('drain', done); res.on('close', done); });
  }
  return !res.destroyed;
}

export const chatChunk = (text, id = 'c1') => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1-mini', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`;
export const chatDone = (id = 'c1') => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1-mini', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 } })}\n\ndata: [DONE]\n\n`;

export async function gateway(config, { extraArgs = [], env = {} } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-'));
  const file = path.join(dir, 'detour.json');
  fs.writeFileSync(file, JSON.stringify({ gatewayKeys: ['gk'], ...config }));
  const child = spawn(process.execPath, [path.join(REPO, 'apps/worker/dist/cli.js'), '--config', file, '--port', '0', ...extraArgs], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  process.on('exit', () => { try { child.kill('SIGKILL'); } catch {} });
  let stdout = '', stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => { stdout += d; const m = stdout.match(/listening on (http:\/\/[^\s]+)/); if (m) resolve(m[1]); });
    child.on('exit', (c) => reject(new Error('gateway exited ' + c + ' ' + stderr)));
    setTimeout(() => reject(new Error('gateway start timeout ' + stderr)), 10000);
  });
  return {
    child, url, pid: child.pid,
    get stdout() { return stdout; }, get stderr() { return stderr; },
    rss: () => { const s = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'); return Number(s.match(/VmRSS:\s+(\d+)/)[1]) * 1024; },
    fds: () => fs.readdirSync(`/proc/${child.pid}/fd`).length,
    stop: () => { try { child.kill('SIGKILL'); } catch {} },
  };
}
export const MB = (n) => (n / 1048576).toFixed(1) + 'MB';
// every repro stops by itself within 55 s
setTimeout(() => { console.log('[repro self-stop at 55 s]'); process.exit(0); }, 55000).unref();
export const _children = [];
