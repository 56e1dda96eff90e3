import https from 'node:https';
import http from 'node:http';
import net from 'node:net';
import fs from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire('/tmp/attack17a/repo/packages/node/package.json');
export const OpenAI = require('openai').default ?? require('openai');
export const node = await import('/tmp/attack17a/repo/packages/node/dist/index.js');
export const C = (n) => fs.readFileSync(`/tmp/attack17a/certs/${n}`);
export const hardTimeout = (ms) => setTimeout(() => { console.log(`HARD TIMEOUT ${ms}ms`); process.exit(3); }, ms).unref?.() ?? 0;
export const completion = (tag) => JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: `hi from ${tag}` }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
export const handler = (tag, stats, extra = {}) => (req, res) => {
  stats.requests = (stats.requests ?? 0) + 1;
  let body = ''; req.on('data', (d) => (body += d)); req.on('end', () => {
    const b = completion(tag);
    const h = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(b), ...(extra.headers ?? {}) };
    res.writeHead(200, h); res.end(b);
  });
};
const listen = (srv, host = '127.0.0.1') => new Promise((r) => srv.listen(0, host, () => r(srv.address().port)));
export const startHttps = async (cert, tag, stats = {}, extra = {}) => {
  const srv = https.createServer({ key: C(`${cert}.key`), cert: C(`${cert}.crt`), ...(extra.server ?? {}) }, handler(tag, stats, extra));
  srv.on('connection', (s) => { stats.conns = (stats.conns ?? 0) + 1; });
  srv.on('tlsClientError', (e) => { stats.tlsErr = e.code ?? e.message; });
  if (extra.keepAliveTimeout !== undefined) srv.keepAliveTimeout = extra.keepAliveTimeout;
  const port = await listen(srv, extra.host); return { srv, port, stats };
};
export const startHttp = async (tag, stats = {}, extra = {}) => {
  const srv = http.createServer(handler(tag, stats, extra));
  srv.on('connection', (s) => { stats.conns = (stats.conns ?? 0) + 1; });
  if (extra.keepAliveTimeout !== undefined) srv.keepAliveTimeout = extra.keepAliveTimeout;
  const port = await listen(srv, extra.host); return { srv, port, stats };
};
export const startRaw = async (onConn, host) => {
  const socks = new Set();
  const srv = net.createServer((s) => { socks.add(s); s.on('close', () => socks.delete(s)); s.on('error', () => {}); onConn(s); });
  const port = await listen(srv, host); return { srv, port, kill: () => { for (const s of socks) s.destroy(); srv.close(); } };
};
export const mkClient = (fetch) => new OpenAI({ apiKey: 'caller-unused', baseURL: 'https://api.openai.com/v1', fetch, maxRetries: 0, timeout: 120000 });
export const ask = async (client, label) => {
  const t = Date.now();
  try {
    const r = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    return { label, ok: true, ms: Date.now() - t, content: r.choices[0].message.content };
  } catch (e) {
    return { label, ok: false, ms: Date.now() - t, status: e.status, name: e.constructor?.name, message: String(e.message).slice(0, 400), detourErr: e.headers?.get?.('x-detour-error') };
  }
};
export const watch = (router) => { const ev = []; router.subscribe((e) => { if (['attempt-end', 'failover', 'breaker-change', 'cooldown-start', 'retry-wait', 'request-end'].includes(e.type)) ev.push(e); }); return ev; };
export const brief = (e) => e.type === 'attempt-end' ? `attempt-end ${e.endpoint}#${e.attempt} ${e.kind} ${e.durationMs}ms "${e.reason}"` : e.type === 'failover' ? `failover ${e.from}->${e.to} "${e.reason}"` : e.type === 'breaker-change' ? `breaker ${e.endpoint} ${e.from}->${e.to}` : e.type === 'retry-wait' ? `retry-wait ${e.endpoint} ${e.delayMs}ms "${e.reason}"` : e.type === 'request-end' ? `request-end ok=${e.ok} ${e.endpoint} attempts=${e.attempts} ${e.durationMs}ms code=${e.code}` : `${e.type} ${JSON.stringify(e)}`;
