// Shared helpers for attack 20 (observability truthfulness). Binds 127.0.0.1, port 0; every script stops by itself.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const REPO = process.argv[2] ?? process.env.REPO ?? '/tmp/attack20a';
const imp = (rel) => import(pathToFileURL(path.join(REPO, rel)).href);
export const gw = await imp('apps/worker/dist/index.js');
export const testkit = await imp('packages/testkit/dist/index.js');
export const node = await imp('packages/node/dist/index.js');
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const cleanups = [];
export const onCleanup = (fn) => cleanups.push(fn);
export const cleanup = async () => { for (const fn of cleanups.reverse()) { try { await fn(); } catch {} } cleanups.length = 0; };
export const hardStop = (ms = 60000) => { const t = setTimeout(async () => { console.log(`TIMEOUT after ${ms} ms`); await cleanup(); process.exit(3); }, ms); t.unref(); };

export const chaos = async (name, opts = {}) => {
  const u = await testkit.startChaosUpstream({ name, ...opts });
  onCleanup(() => u.close());
  return u;
};

/** Starts the gateway in process with an in-memory access log. */
export const gateway = async (configInput) => {
  const lines = [];
  const input = { gatewayKeys: ['gk-test-key-0001'], admin: { key: 'ak-test-admin-0001' }, ...configInput };
  const config = gw.loadConfig(input, {});
  const g = await gw.startGateway({ config, accessLog: (line) => lines.push(JSON.parse(line)) });
  onCleanup(() => g.close(0));
  const events = [];
  g.router.subscribe((e) => events.push(e));
  return { ...g, log: lines, events };
};

export const post = async (g, route, body, { signal, headers = {} } = {}) => {
  const t0 = performance.now();
  const res = await fetch(g.url + route, {
    method: 'POST', signal,
    headers: { authorization: 'Bearer gk-test-key-0001', 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text().catch((e) => `<<body error: ${e.cause?.code ?? e.message}>>`);
  return { status: res.status, headers: Object.fromEntries([...res.headers].filter(([k]) => k.startsWith('x-detour') || k === 'retry-after')), text, ms: performance.now() - t0 };
};
export const chat = (g, extra = {}, opts) => post(g, '/v1/chat/completions', { model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hello there, how are you?' }], ...extra }, opts);

export const getJson = async (g, route, admin = false) => {
  const res = await fetch(g.url + route, { headers: admin ? { authorization: 'Bearer ak-test-admin-0001' } : {} });
  return { status: res.status, body: await res.json() };
};

/** /metrics as a map from `name{labels}` to number. */
export const scrape = async (g) => {
  const text = await (await fetch(g.url + '/metrics')).text();
  const map = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    map.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  map.text = text;
  return map;
};
/** Series of `name` (prefix match on `name{` or exact), filtered to non-zero, as an object. */
export const pick = (m, name) => {
  const out = {};
  for (const [k, v] of m) if ((k === name || k.startsWith(name + '{')) && v !== 0) out[k.slice(name.length)] = v;
  return out;
};
export const diff = (before, after, name) => {
  const out = {};
  for (const [k, v] of after) if (k === name || k.startsWith(name + '{')) { const d = v - (before.get(k) ?? 0); if (Math.abs(d) > 1e-15) out[k.slice(name.length)] = +d.toPrecision(12); }
  return out;
};
export const upstreamSummary = (u) => { const s = u.stats(); return { total: s.total, byOutcome: s.byOutcome }; };
export const show = (label, obj) => console.log(label.padEnd(28), typeof obj === 'string' ? obj : JSON.stringify(obj));
