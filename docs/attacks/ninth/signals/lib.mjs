import http from 'node:http';
export { createRouter, createFetch } from '/tmp/attack9b/repo/packages/node/dist/index.js';
export const OK = (model='m') => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'x', object: 'chat.completion', model, choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }) });
export const ERR = (status, headers = {}, body = { error: { message: 'x', type: 'x', code: null } }) => ({ status, headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
// behaviours: { a: (n, req) => response }, n = hit count for that endpoint (0-based)
export async function upstream(behaviours) {
  const hits = []; const counts = {};
  const t0 = Date.now();
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', async () => {
      const ep = req.url.split('/')[1];
      const n = (counts[ep] = (counts[ep] ?? 0) + 1) - 1;
      let model; try { model = JSON.parse(data).model; } catch {}
      hits.push({ ep, n, model, t: Date.now() - t0 });
      const f = behaviours[ep] ?? (() => OK(model));
      let r = await f(n, { model, url: req.url });
      res.writeHead(r.status, r.headers); res.end(r.body);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  return { hits, counts, port, url: (ep) => `http://127.0.0.1:${port}/${ep}`, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }), reset() { hits.length = 0; for (const k of Object.keys(counts)) delete counts[k]; } };
}
export const body = (model = 'm') => JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] });
export async function send(router, model = 'm', extra = {}) {
  const t = Date.now();
  try {
    const r = await router.send({ path: '/chat/completions', body: body(model), ...extra });
    return { ok: true, endpoint: r.endpoint, ms: Date.now() - t, attempts: r.attempts.map((a) => `${a.endpoint}:${a.status}:${a.kind}`) };
  } catch (e) {
    return { ok: false, code: e.code, ms: Date.now() - t, retryAfterMs: e.retryAfterMs, msg: String(e.message).slice(0, 160), attempts: e.attempts?.map((a) => `${a.endpoint}:${a.status}:${a.kind}`) };
  }
}
export async function health(router) {
  const now = Date.now();
  return (await router.health()).map((h) => ({ name: h.name, breaker: h.breaker, cool: h.cooldownUntil > now ? h.cooldownUntil - now : 0, disabled: h.disabledUntil > now ? h.disabledUntil - now : 0, models: Object.fromEntries(Object.entries(h.modelCooldowns).map(([k, v]) => [k, v - now])), avail: h.available, reason: h.reason }));
}
export const eps = (up, names, extra = {}) => names.map((n, i) => ({ name: n, baseUrl: up.url(n), apiKey: 'k-' + n, priority: i, ...(extra[n] ?? {}) }));
export const withTimeout = (p, ms = 15000) => Promise.race([p, new Promise((_, r) => setTimeout(() => r(new Error('TIMEOUT')), ms).unref())]);
