// Gateway helpers: an OTLP/HTTP-JSON receiver, and the gateway CLI as a child process.
import http from 'node:http';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { sleep } from './lib.mjs';

export const receiver = async ({ mode = 'ok' } = {}) => {
  const spans = []; const raw = []; let posts = 0; const held = [];
  const server = http.createServer((req, res) => {
    let body = ''; req.setEncoding('utf8'); req.on('data', (c) => (body += c));
    req.on('end', () => {
      posts++;
      if (r.mode === 'hang') { held.push(res); return; }
      if (r.mode === '500') { res.writeHead(500).end('boom'); return; }
      raw.push(body);
      try {
        const j = JSON.parse(body);
        for (const rs of j.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) {
          const attrs = {}; for (const a of s.attributes ?? []) { const v = a.value; attrs[a.key] = v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : v.doubleValue ?? v.boolValue); }
          spans.push({ name: s.name, kind: s.kind, traceId: s.traceId, spanId: s.spanId, parent: s.parentSpanId, status: s.status, durMs: (Number(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)) / 1e6), attrs, events: s.events, traceState: s.traceState });
        }
      } catch (e) { raw.push(`PARSE ERROR ${e.message}`); }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise((r2) => server.listen(0, '127.0.0.1', r2));
  const r = { mode, spans, raw, get posts() { return posts; }, url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r2) => { for (const h of held) h.destroy(); server.closeAllConnections(); server.close(() => r2()); }) };
  return r;
};

export const freePort = async () => { const s = http.createServer(); await new Promise((r) => s.listen(0, '127.0.0.1', r)); const p = s.address().port; await new Promise((r) => s.close(r)); return p; };

export const startGateway = async (config, env = {}, nodeArgs = []) => {
  const port = await freePort();
  const file = `/tmp/attack21b/docs/attacks/tracing/.gw-${port}.json`;
  writeFileSync(file, JSON.stringify(config));
  const child = spawn('nice', ['-n', '19', process.execPath, ...nodeArgs, '/tmp/attack21b/apps/worker/dist/cli.js', '--config', file, '--port', String(port)], { env: { ...process.env, OTEL_BSP_SCHEDULE_DELAY: '100', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = ''; child.stdout.on('data', (d) => (out += d)); child.stderr.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) { if (out.includes('listening')) break; if (child.exitCode !== null) break; await sleep(100); }
  const stop = async (waitMs = 8000) => { if (child.exitCode !== null) return child.exitCode; const done = new Promise((r) => child.once('exit', (c, s) => r(c ?? s))); child.kill('SIGTERM'); const code = await Promise.race([done, sleep(waitMs).then(() => { child.kill('SIGKILL'); return `SIGKILL after ${waitMs}ms`; })]); return code; };
  return { url, child, output: () => out, stop };
};
