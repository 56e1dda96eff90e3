import http from 'node:http';
import { startGateway, loadConfig } from '/tmp/atk13b/apps/worker/dist/index.js';
export const UPKEY = 'sk-upstream-SECRET-abc/def+ghi0123456789';
export const GK = 'gk-caller-0123456789';
export const AK = 'ak-admin-0123456789';
// raw upstream: handler(req, body, res)
export const upstream = (handler) => new Promise((resolve) => {
  const seen = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on("end", () => { if (seen.length < 1000) seen.push({ url: req.url, headers: req.headers, body }); handler(req, body, res); });
  });
  server.listen(0, '127.0.0.1', () => resolve({ server, seen, url: `http://127.0.0.1:${server.address().port}/v1`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) }));
});
export const okChat = (req, body, res) => {
  let model = 'x'; try { model = JSON.parse(body).model; } catch {}
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ id: 'c1', object: 'chat.completion', model, choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } }));
};
export const gateway = async (ups, extra = {}, opts = {}) => {
  const input = {
    endpoints: ups.map((u, i) => ({ name: `ep${i}`, baseUrl: u.url, apiKey: UPKEY, priority: i, ...(extra.endpoint ?? {}) })),
    gatewayKeys: [{ key: GK, name: 'team-a' }],
    admin: { key: AK },
    router: { ...(extra.router ?? {}) },
    ...(extra.root ?? {}),
  };
  const config = loadConfig(input, {});
  const logs = [];
  const gw = await startGateway({ config, accessLog: (l) => { if (logs.length < 2000) logs.push(l); }, ...opts });
  gw.logs = logs;
  return gw;
};
export const chat = (gw, model, headers = {}, extraBody = {}) => fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${GK}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...extraBody }) });
export const admin = (gw, path) => fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${AK}` } });
