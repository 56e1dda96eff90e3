import http from 'node:http';
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
const require = createRequire('/tmp/atk12a/packages/node/package.json');
export const { createFetch } = await import('/tmp/atk12a/packages/node/dist/index.js');
export const OpenAI = (await import(require.resolve('openai'))).default;

// handler(req, res, ctx) ; ctx.log records requests
export const upstream = (name, handler) => new Promise((resolve) => {
  const log = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    let handled = false;
    const entry = { method: req.method, url: req.url, headers: req.headers, name };
    log.push(entry);
    if (handler.early) { handler(req, res, entry); return; }
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => { entry.body = Buffer.concat(chunks).toString(); handler(req, res, entry); });
  });
  server.keepAliveTimeout = 2000;
  server.listen(0, '127.0.0.1', () => {
    const port = server.address().port;
    resolve({ server, port, url: `http://127.0.0.1:${port}`, log, close: () => { server.closeAllConnections?.(); server.close(); } });
  });
});
// raw socket server for byte-exact answers: handler(socket, requestText)
import net from 'node:net';
export const rawUpstream = (name, handler) => new Promise((resolve) => {
  const log = [];
  const server = net.createServer((socket) => {
    let buf = '';
    let done = false;
    socket.on('error', () => {});
    socket.on('data', (d) => {
      buf += d.toString('latin1');
      if (done) return;
      const i = buf.indexOf('\r\n\r\n');
      if (i < 0) return;
      const head = buf.slice(0, i);
      const m = /content-length:\s*(\d+)/i.exec(head);
      const need = m ? Number(m[1]) : 0;
      if (handler.early || buf.length - i - 4 >= need) { done = true; log.push({ name, head, body: buf.slice(i + 4) }); handler(socket, head, buf.slice(i + 4)); }
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const port = server.address().port;
    resolve({ server, port, url: `http://127.0.0.1:${port}`, log, close: () => server.close() });
  });
});

export const endpoints = (a, b, extra = {}) => [
  { name: 'primary', baseUrl: `${a.url}/v1`, apiKey: 'sk-PRIMARY-SECRET', priority: 0, ...extra },
  ...(b ? [{ name: 'backup', baseUrl: `${b.url}/v1`, apiKey: 'sk-BACKUP-SECRET', priority: 1, ...extra }] : []),
];

export const okChat = JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model: 'gpt-4.1', choices: [{ index: 0, message: { role: 'assistant', content: 'hello from backup' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } });
export const backupOk = (req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(okChat); };

export const startGateway = async (eps, extraConfig = {}) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gw-'));
  const file = path.join(dir, 'detour.json');
  writeFileSync(file, JSON.stringify({ endpoints: eps, gatewayKeys: [{ env: 'DETOUR_GATEWAY_KEY' }], ...extraConfig }));
  const child = spawn(process.execPath, ['/tmp/atk12a/apps/worker/dist/cli.js', '--config', file, '--port', '0'], { env: { ...process.env, DETOUR_GATEWAY_KEY: 'gk-test' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error('gateway no start: ' + out + err)), 15000);
    child.stdout.on('data', (d) => { out += d; const m = /http:\/\/[\d.]+:\d+/.exec(out); if (m) { clearTimeout(t); resolve(m[0]); } });
  });
  return { url, child, stderr: () => err, close: () => child.kill('SIGKILL') };
};
export const withTimeout = (ms) => setTimeout(() => { console.log('TIMEOUT, exiting'); process.exit(2); }, ms).unref?.() ?? null;
export const hardTimeout = (ms) => { const t = setTimeout(() => { console.log('HARD TIMEOUT'); process.exit(2); }, ms); return t; };
