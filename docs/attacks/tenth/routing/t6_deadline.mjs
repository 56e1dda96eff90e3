import { upstream, node, sleep, send200, sendStatus, body } from './lib.mjs';
const DL = 1500;
const cases = {
  hang: async (q, s) => {},
  slowHeaders: async (q, s) => send200(s, 4000),
  dripBody: async (q, s) => { s.writeHead(200, { 'content-type': 'application/json' }); for (let i = 0; i < 20 && !s.destroyed; i++) { s.write(' '); await sleep(300); } s.end('{}'); },
  ra429_1: async (q, s) => sendStatus(s, 429, { 'retry-after': '1' }),
  ra429_5: async (q, s) => sendStatus(s, 429, { 'retry-after': '5' }),
  ra503_1: async (q, s) => sendStatus(s, 503, { 'retry-after': '1' }),
  plain500: async (q, s) => sendStatus(s, 500, {}, 100),
  streamKeepalive: async (q, s) => { s.writeHead(200, { 'content-type': 'text/event-stream' }); for (let i = 0; i < 40 && !s.destroyed; i++) { s.write(': ping\n\n'); await sleep(100); } s.end(); },
  ra429_ms1400: async (q, s) => sendStatus(s, 429, { 'retry-after-ms': '1400' }),
};
for (const [name, h] of Object.entries(cases)) {
  const u = await upstream(name, h);
  const router = node.createRouter({ endpoints: [{ name: 'only', baseUrl: u.url }], deadlineMs: DL });
  const t0 = Date.now(); let out;
  const stream = name.startsWith('stream');
  try { const r = await router.send({ path: '/chat/completions', body: stream ? JSON.stringify({ model: 'm', stream: true, messages: [] }) : body() }); out = 'ok ' + r.status; if (r.stream) for await (const _ of r.stream); } catch (e) { out = e.code + (e.retryAfterMs ? ' retryAfterMs=' + e.retryAfterMs : ''); }
  const el = Date.now() - t0;
  await sleep(300);
  console.log(`${name.padEnd(16)} caller waited ${String(el).padStart(5)} ms (deadline ${DL}) -> ${out}; upstream hits ${u.hits}, still open ${u.inflight}, aborted ${u.aborted}`);
  u.close();
}
process.exit(0);
