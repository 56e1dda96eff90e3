// Shared helpers for the attack20b repros. Usage: import { load, fakeUpstream } from './lib.mjs'
import http from 'node:http';
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';

export const root = process.argv[2] ?? '/tmp/attack20b';
const imp = (p) => import(pathToFileURL(`${root}/${p}`).href);

export const load = async () => {
  const node = await imp('packages/node/dist/index.js');
  const OpenAI = (await imp('packages/node/node_modules/openai/index.mjs')).default;
  const Anthropic = (await imp('packages/node/node_modules/@anthropic-ai/sdk/index.mjs')).default;
  return { ...node, OpenAI, Anthropic };
};

export const sha = (buf) => createHash('sha256').update(buf).digest('hex').slice(0, 16);

/**
 * A fake upstream on 127.0.0.1:0 recording every request whole. `handler(rec, req, res, n)` answers; rec has
 * method, url, headers, body (Buffer). Returns { url (base with /v1), log, close, port }.
 */
export const fakeUpstream = async (name, handler) => {
  const log = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const rec = { name, method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) };
      log.push(rec);
      try {
        handler(rec, req, res, log.length);
      } catch (e) {
        res.statusCode = 599;
        res.end(String(e));
      }
    });
    req.on('error', () => {});
  });
  server.keepAliveTimeout = 1000;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  return {
    name, port, log, server,
    url: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
  };
};

export const json = (res, status, obj, headers = {}) => {
  const body = Buffer.from(JSON.stringify(obj));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length, ...headers });
  res.end(body);
};

export const summarize = (rec) => ({
  ep: rec.name, method: rec.method, url: rec.url, ct: rec.headers['content-type'], len: rec.body.length, sha: sha(rec.body),
  auth: rec.headers.authorization ?? rec.headers['x-api-key'],
});

/** Kills the process after ms whatever happens. */
export const watchdog = (ms = 60000) => setTimeout(() => { console.log('WATCHDOG: timed out'); process.exit(3); }, ms).unref();

/** Parses a multipart body into parts [{ headers, data }] given the boundary. */
export const parseMultipart = (body, contentType) => {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType ?? '');
  if (!m) return undefined;
  const boundary = Buffer.from(`--${m[1] ?? m[2]}`);
  const parts = [];
  let pos = body.indexOf(boundary);
  while (pos >= 0) {
    const start = pos + boundary.length;
    if (body.slice(start, start + 2).toString() === '--') break;
    const next = body.indexOf(boundary, start);
    if (next < 0) break;
    const part = body.slice(start + 2, next - 2); // skip CRLF after boundary, CRLF before next
    const sep = part.indexOf('\r\n\r\n');
    parts.push({ headers: part.slice(0, sep).toString(), data: part.slice(sep + 4) });
    pos = next;
  }
  return parts;
};
