// Tiny programmable upstream on 127.0.0.1:0. handler(req, body, res) per request; records requests.
import http from 'node:http';
export const R = '/tmp/attack9a/repo';
export async function upstream(handler) {
  const seen = [];
  const server = http.createServer(async (req, res) => {
    let b = ''; for await (const c of req) b += c;
    let json; try { json = JSON.parse(b); } catch {}
    seen.push({ url: req.url, body: json, raw: b });
    try { await handler(req, json, res, seen.length); } catch (e) { res.destroy(); }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, seen, close: () => { server.closeAllConnections?.(); return new Promise((r) => server.close(r)); } };
}
export const sse = (res, events, { end = true, delay = 0 } = {}) => (async () => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const e of events) { res.write(e); if (delay) await new Promise((r) => setTimeout(r, delay)); }
  if (end === true) res.end(); else if (end === 'destroy') { await new Promise((r) => setTimeout(r, 150)); res.destroy(); }
})();
export const json = (res, obj, status = 200) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(obj)); };
export const d = (obj) => `data: ${JSON.stringify(obj)}\n\n`;
export const ev = (name, obj) => `event: ${name}\ndata: ${JSON.stringify(obj)}\n\n`;
export const watchdog = (ms = 20000) => setTimeout(() => { console.log('WATCHDOG TIMEOUT'); process.exit(2); }, ms).unref();
export const chatChunk = (content, extra = {}) => ({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }], ...extra });
