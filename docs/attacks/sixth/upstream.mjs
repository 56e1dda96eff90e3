// Hostile upstream: answers /v1/* with a programmable status/headers/body. Control: POST /__mode {status,headers,body,delayMs,seq:[...]}
import http from 'node:http';
const port = Number(process.argv[2] || 0);
let mode = { status: 200, headers: {}, body: null, delayMs: 0 };
let seq = []; // queue of one-shot modes
let log = [];
const life = Number(process.env.LIFE_MS || 600000);
const server = http.createServer((req, res) => {
  let chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.url === '/__mode') { const m = JSON.parse(Buffer.concat(chunks).toString()); if (m.seq) { seq = m.seq; mode = { status: 200, headers: {}, body: null, delayMs: 0 }; } else { mode = { status: 200, headers: {}, body: null, delayMs: 0, ...m }; seq = []; } res.end('ok'); return; }
    if (req.url === '/__log') { res.setHeader('content-type','application/json'); res.end(JSON.stringify(log.slice(-50))); return; }
    if (req.url === '/__count') { res.end(String(log.length)); return; }
    let body = {}; try { body = JSON.parse(Buffer.concat(chunks).toString() || '{}'); } catch {}
    log.push({ t: Date.now(), url: req.url, headers: req.headers, model: body.model });
    if (log.length > 5000) log.shift();
    const m = seq.length ? seq.shift() : mode;
    const send = () => {
      const hdrs = { 'content-type': 'application/json', ...m.headers };
      if (typeof m.headers?.date === 'undefined') hdrs.date = new Date().toUTCString();
      try { res.writeHead(m.status, hdrs); } catch (e) { res.writeHead(500); res.end(String(e)); return; }
      const ok = { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: body.model || 'x', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } };
      res.end(m.body == null ? JSON.stringify(ok) : (typeof m.body === 'string' ? m.body : JSON.stringify(m.body)));
    };
    m.delayMs ? setTimeout(send, m.delayMs) : send();
  });
});
server.listen(port, '127.0.0.1', () => console.log('upstream listening', server.address().port));
setTimeout(() => process.exit(0), life).unref();
