import http from 'node:http';
import { createFetch } from '@detour/node';
import { loadConfig, startGateway } from '@detour/worker';
export { createFetch };
// raw upstream: handler(req, body, res, n) ; records requests
export const raw = async (name, handler) => {
  const reqs = [];
  const server = http.createServer((req, res) => {
    let chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      reqs.push({ method: req.method, url: req.url, headers: req.headers, body });
      try { handler(req, body, res, reqs.length); } catch (e) { console.error('handler', e); res.destroy(); }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  return { name, reqs, baseUrl: `http://127.0.0.1:${port}/v1`, origin: `http://127.0.0.1:${port}`, close: () => { server.closeAllConnections?.(); server.close(); } };
};
export const json = (res, status, obj, headers = {}) => { res.writeHead(status, { 'content-type': 'application/json', ...headers }); res.end(JSON.stringify(obj)); };
export const anthErr = (type, message = 'x') => ({ type: 'error', error: { type, message } });
export const okMsg = (text = 'Hello', usage = { input_tokens: 10, output_tokens: 5 }, extra = {}) => ({ id: 'msg_01', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text }], stop_reason: 'end_turn', stop_sequence: null, usage, ...extra });
export const sse = (events) => events.map(([e, d]) => `event: ${e}\ndata: ${JSON.stringify(d)}\n\n`).join('');
export const ask = { model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content: 'Say hello.' }] };
export const endpointsFor = (ups, extra = {}) => ups.map((u, i) => ({ name: u.name, baseUrl: u.baseUrl, apiKey: `sk-ant-SECRET-${u.name}`, provider: 'anthropic', priority: i, ...extra }));
export const gateway = async (ups, { endpoint = {}, router = {}, accessLog } = {}) => {
  const config = loadConfig({ endpoints: endpointsFor(ups, endpoint), gatewayKeys: ['gk-test'], router }, {});
  return startGateway({ config, ...(accessLog ? { accessLog } : {}) });
};
export const deadline = (ms = 20000) => setTimeout(() => { console.log('TIMEOUT'); process.exit(2); }, ms).unref();
