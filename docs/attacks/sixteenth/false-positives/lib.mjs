// Shared helpers: a loopback upstream, a gateway child process on port 0, cleanup.
import http from 'node:http';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const GW_KEY = 'gk-attack16b-test-key';

/** Starts an upstream on 127.0.0.1:0; handler(req, res, body) answers. Returns { url, server, requests }. */
export const upstream = async (handler) => {
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      Promise.resolve(handler(req, res, body)).catch((e) => { console.error('handler error', e); res.destroy(); });
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, server, requests, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }) };
};

/** Sends an SSE body as given, in one write or in chunks. */
export const sendSse = (res, text, { status = 200, headers = {} } = {}) => {
  res.writeHead(status, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
  res.end(text);
};

/** Starts the gateway with config (object). Returns { url, stop, output }. */
export const gateway = async (config, extraArgs = []) => {
  const dir = fs.mkdtempSync('/tmp/attack16b/gw-');
  const file = path.join(dir, 'detour.json');
  fs.writeFileSync(file, JSON.stringify({ gatewayKeys: [GW_KEY], ...config }, null, 2));
  const child = spawn(process.execPath, ['/tmp/attack16b/repo/apps/worker/dist/cli.js', '--config', file, '--port', '0', '--host', '127.0.0.1', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('gateway did not start: ' + output)), 15000);
    const on = (d) => {
      output += d;
      const m = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (m) { clearTimeout(t); resolve(m[1]); }
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.on('exit', (code) => reject(new Error('gateway exited ' + code + ': ' + output)));
  });
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  return {
    url,
    get output() { return output; },
    stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); setTimeout(() => { try { child.kill('SIGKILL'); } catch {} }, 3000).unref(); }),
  };
};

/** Reads a whole Response body as text, capturing the error if the stream breaks. */
export const readAll = async (response) => {
  let text = '';
  let error;
  try {
    const reader = response.body.getReader();
    const dec = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += dec.decode(value, { stream: true });
    }
  } catch (e) {
    error = e;
  }
  return { text, error: error ? String(error?.cause?.message ?? error?.message ?? error) : undefined };
};

export const hardStop = (ms = 60000) => setTimeout(() => { console.error('HARD TIMEOUT'); process.exit(2); }, ms).unref();
