// SSE over TLS: the primary's TLS connection dies mid-stream (no close_notify; or TCP RST). Rescued or a loud error, never a silent truncation?
import tls from 'node:tls';
import { node, C, startHttp, mkClient, watch, brief, hardTimeout } from './lib.mjs';
hardTimeout(60000);
const chunk = (t) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: t }, finish_reason: null }] })}\n\n`;
for (const how of ['fin-no-close_notify', 'rst']) {
  const srv = tls.createServer({ key: C('good.key'), cert: C('good.crt') }, (s) => {
    s.on('error', () => {}); let seen = false;
    s.on('data', (d) => { if (seen || !d.toString().includes('\r\n\r\n')) return; seen = true;
      s.write('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n');
      const w = (t) => { const b = Buffer.from(t); s.write(`${b.length.toString(16)}\r\n`); s.write(b); s.write('\r\n'); };
      w(chunk('one ')); w(chunk('two '));
      setTimeout(() => { if (how === 'rst') s._parent?.resetAndDestroy?.() ?? s.destroy(); else s.destroy(); }, 100);
    });
  });
  srv.on('connection', (raw) => { srv._last = raw; });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const backup = await startHttp('backup');
  // backup: a streaming answer
  backup.srv.removeAllListeners('request');
  backup.srv.on('request', (q, s) => { q.resume(); q.on('end', () => { s.writeHead(200, { 'content-type': 'text/event-stream' }); s.write(chunk('three ')); s.end(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`); }); });
  const fetch = node.createFetch({ endpoints: [
    { name: 'primary', baseUrl: `https://localhost:${srv.address().port}/v1`, apiKey: 'k', priority: 0 },
    { name: 'backup', baseUrl: `http://127.0.0.1:${backup.port}/v1`, apiKey: 'k', priority: 1 }] }, { tracer: false });
  const ev = watch(fetch.router); const client = mkClient(fetch);
  let text = ''; let err;
  try { const st = await client.chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }); for await (const c of st) text += c.choices[0]?.delta?.content ?? ''; } catch (e) { err = e.message; }
  console.log(`${how}: text="${text}" error=${err ?? 'none'}`);
  for (const e of ev) console.log('   ', brief(e).slice(0, 160));
  await fetch.router.close(); srv.close(); backup.srv.close();
}
process.exit(0);
