import http from 'node:http';
import { startGateway, loadConfig } from '/tmp/attack14b/apps/worker/dist/index.js';
export const UPKEY = 'sk-upstream-SECRET-abc0123456789';
export const GK = 'gk-caller-0123456789';
export const AK = 'ak-admin-0123456789';
// Wall-clock offset: monkeypatches Date.now (the gateway's clock) in process.
const realNow = Date.now.bind(Date);
export let offset = 0;
export const shift = (ms) => { offset += ms; };
Date.now = () => realNow() + offset;
export const upstream = (handler) => new Promise((resolve) => {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks).toString(), res));
  });
  server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}/v1`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) }));
});
export const okBody = (model = 'x', id = 'c1') => JSON.stringify({ id, object: 'chat.completion', model, choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });
export const okChat = (req, body, res, headers = {}) => {
  let model = 'x'; try { model = JSON.parse(body).model; } catch {}
  res.writeHead(200, { 'content-type': 'application/json', ...headers });
  res.end(okBody(model));
};
export const gateway = async (ups, extra = {}, opts = {}) => {
  const input = {
    endpoints: ups.map((u, i) => ({ name: `ep${i}`, baseUrl: u.url, apiKey: UPKEY, priority: i, ...(extra.endpoint ?? {}), ...((extra.endpoints ?? [])[i] ?? {}) })),
    gatewayKeys: [{ key: GK, name: 'team-a' }],
    admin: { key: AK },
    router: { ...(extra.router ?? {}) },
    ...(extra.root ?? {}),
  };
  const config = loadConfig(input, {});
  return startGateway({ config, accessLog: () => {}, ...opts });
};
export const chat = (gw, model, headers = {}, extraBody = {}) => fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${GK}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...extraBody }) });
export const admin = (gw, path) => fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${AK}` } });
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const heapMB = () => { global.gc?.(); global.gc?.(); return +(process.memoryUsage().heapUsed / 1e6).toFixed(1); };
