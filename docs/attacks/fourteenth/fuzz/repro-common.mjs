import http from 'node:http';
import { loadConfig, startGateway } from '../apps/worker/dist/index.js';
import { startUpstream, keyFor } from './upstream.mjs';
export const gatewayKey = 'gw-fuzz-key-0123456789';
export const base = { status: 200, framing: 'cl-right', extraHeaders: [], pieceSizes: [], splits: [], delays: [], end: 'normal' };
export const withGateway = async (plans, body, { router = {} } = {}) => {
  const up = await startUpstream(); up.reset(plans);
  const log = [];
  const config = loadConfig({ endpoints: plans.map((_, i) => ({ name: `e${i}`, baseUrl: up.base(i), apiKey: keyFor(i) })), gatewayKeys: [gatewayKey], router: { deadlineMs: 3000, streamIdleTimeoutMs: 1000, ...router } }, {});
  const gw = await startGateway({ config, accessLog: (l) => log.push(l) });
  const t0 = Date.now();
  const res = await new Promise((resolve) => {
    const req = http.request(`${gw.url}/v1/chat/completions`, { method: 'POST', agent: false, headers: { authorization: `Bearer ${gatewayKey}`, 'content-type': 'application/json' } }, (r) => { let s = ''; let end = 'aborted'; r.setEncoding('utf8'); r.on('data', (d) => (s += d)); r.on('end', () => (end = 'clean')); r.on('close', () => resolve({ status: r.statusCode, headers: r.headers, body: s, end, ms: Date.now() - t0 })); });
    req.on('error', (e) => resolve({ error: e.code, ms: Date.now() - t0 }));
    req.end(JSON.stringify(body));
  });
  const requests = up.state.requests.map((r) => r.ep);
  await gw.close(0); await up.close();
  return { res, requests, log };
};
