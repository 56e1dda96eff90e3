import net from 'node:net';
import { startGateway, loadConfig } from '../dist/index.js';
import { startUpstream } from './upstream.mjs';

export const KEY = 'gk-test-key';
export const LIMIT = 65536;

export const mulberry = (seed) => () => { seed |= 0; seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const setup = async (routerExtra = {}, gwExtra = {}, endpointsExtra = {}) => {
  const ups = await Promise.all(['a', 'b', 'c'].map((n) => startUpstream(n)));
  const json = {
    endpoints: ups.map((u, i) => ({ name: u.name, baseUrl: u.url, apiKey: `sk-${u.name}-secret-0123456789`, priority: i === 2 ? 1 : 0, ...(endpointsExtra[u.name] ?? {}) })),
    gatewayKeys: [KEY], maxBodyBytes: LIMIT, maxBodyBytesInFlight: LIMIT, headersTimeoutMs: 1000, requestTimeoutMs: 2000, tracing: 'off',
    router: { deadlineMs: 4000, firstByteTimeoutMs: 1500, streamIdleTimeoutMs: 1500, bodyIdleTimeoutMs: 1000, rescueHeartbeatMs: 0,
      breaker: { openMs: 200, consecutiveFailures: 3 }, admission: { maxQueueMs: 1500 }, ...routerExtra },
    ...gwExtra,
  };
  const config = loadConfig(json, process.env);
  const gw = await startGateway({ config, port: 0 });
  const { port } = new URL(gw.url);
  return { ups, gw, port: Number(port) };
};

/** Raw HTTP client: sends `head` + body pieces; returns what it read. Options control misbehaviour. */
export const raw = (port, { method = 'POST', path = '/v1/chat/completions', headers = {}, body = '', sendBytes, abortAfterMs, abortAfterBytes, maxMs = 8000 }) =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    let done = false;
    const finish = (why) => { if (done) return; done = true; clearTimeout(t1); clearTimeout(t2); s.destroy(); resolve({ why, got }); };
    const t1 = setTimeout(() => finish('maxMs'), maxMs);
    const t2 = abortAfterMs !== undefined ? setTimeout(() => finish('abortAfterMs'), abortAfterMs) : undefined;
    s.on('error', () => finish('error'));
    s.on('close', () => finish('closed'));
    s.on('data', (d) => { got += d.toString('latin1'); if (abortAfterBytes !== undefined && got.length >= abortAfterBytes) finish('abortAfterBytes'); else if (/\r\n0\r\n\r\n$/.test(got) || (/content-length: (\d+)/i.test(got) && complete(got))) finish('complete'); });
    const h = { host: '127.0.0.1', 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), connection: 'close', ...headers };
    let head = `${method} ${path} HTTP/1.1\r\n`;
    for (const [k, v] of Object.entries(h)) if (v !== undefined) head += `${k}: ${v}\r\n`;
    s.write(head + '\r\n');
    const b = Buffer.from(body);
    s.write(sendBytes === undefined ? b : b.subarray(0, sendBytes));
  });
const complete = (got) => { const i = got.indexOf('\r\n\r\n'); if (i < 0) return false; const m = /content-length: (\d+)/i.exec(got.slice(0, i)); return m && Buffer.byteLength(got.slice(i + 4), 'latin1') >= Number(m[1]); };

export const statusOf = (got) => Number(/^HTTP\/1\.1 (\d+)/.exec(got)?.[1] ?? 0);

/** Exactly how many bytes of the body budget are held: the largest declared body the gateway still admits. */
export const heldBytes = async (port) => {
  const tryLen = async (len) => {
    const base = JSON.stringify({ model: 'probe', messages: [{ role: 'user', content: 'x' }] });
    const body = base.slice(0, -1) + ' '.repeat(len - Buffer.byteLength(base)) + '}';
    const r = await raw(port, { headers: { authorization: `Bearer ${KEY}` }, body });
    const st = statusOf(r.got);
    if (st === 503 && /gateway_overloaded/.test(r.got)) return false;
    return true;
  };
  if (await tryLen(LIMIT)) return 0;
  let lo = 100, hi = LIMIT; // admits lo? find largest admitted
  if (!(await tryLen(lo))) return `>${LIMIT - lo}`;
  while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (await tryLen(mid)) lo = mid; else hi = mid; }
  return LIMIT - lo;
};

export const snapshot = async (port, gw, ups) => {
  const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
  const rh = await gw.router.health();
  return {
    held: await heldBytes(port),
    queue: health.queue,
    endpoints: rh.map((e) => ({ name: e.name, breaker: e.breaker, pending: e.pending, available: e.available })),
    upstreamOpen: ups.map((u) => u.open),
    upstreamSockets: ups.map((u) => u.sockets),
    resources: countResources(),
  };
};
export const countResources = () => process.getActiveResourcesInfo().reduce((m, k) => ((m[k] = (m[k] ?? 0) + 1), m), {});
