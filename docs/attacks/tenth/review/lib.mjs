import http from 'node:http';
export const R = process.env.REPO ?? '/work/main';
export const node = await import(R + '/packages/node/dist/index.js');
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ok = (model='m') => JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
// handler(req, res, ctx) -> behaviour; ctx counts
export async function upstream(name, handler) {
  const st = { name, hits: 0, inflight: 0, maxInflight: 0, aborted: 0, times: [], log: [] };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      st.hits++; st.inflight++; st.maxInflight = Math.max(st.maxInflight, st.inflight); st.times.push(Date.now());
      let done = false;
      res.on('close', () => { st.inflight--; if (!res.writableFinished) st.aborted++; done = true; });
      try { await handler(req, res, { body, st, ok, isDone: () => done }); } catch (e) { if (!done) { res.statusCode = 500; res.end(); } }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  st.url = `http://127.0.0.1:${server.address().port}/v1`;
  st.close = () => { server.closeAllConnections?.(); server.close(); };
  return st;
}
export const send200 = (res, delay = 0) => new Promise((r) => setTimeout(() => { if (!res.destroyed) { res.setHeader('content-type', 'application/json'); res.end(ok()); } r(); }, delay));
export const sendStatus = (res, status, headers = {}, delay = 0) => new Promise((r) => setTimeout(() => { if (!res.destroyed) { res.writeHead(status, { 'content-type': 'application/json', ...headers }); res.end(JSON.stringify({ error: { message: 'x', type: 'server_error' } })); } r(); }, delay));
export const body = (model = 'm') => JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] });
