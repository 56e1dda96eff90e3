// A misbehaving OpenAI-compatible upstream on 127.0.0.1. Each request's body carries `plan`: { <upstreamName>: mode }.
// Modes: ok, err500, r429, hang, slow, cutjson, stream, streamcut, streamhang, streamslow
import http from 'node:http';

export const startUpstream = async (name, opts = {}) => {
  const open = new Set(); // open requests (responses not closed)
  const sockets = new Set();
  let served = 0;
  const byMode = {};
  const server = http.createServer((req, res) => {
    open.add(res);
    served++;
    res.on('close', () => open.delete(res));
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let body = {};
      try { body = JSON.parse(Buffer.concat(chunks).toString()); } catch {}
      const plan = body.plan ?? {};
      let mode = plan[name] ?? opts.defaultMode ?? 'ok';
      byMode[mode] = (byMode[mode] ?? 0) + 1;
      const delay = body.delay ?? 20;
      const stream = body.stream === true;
      const timers = new Set(); res.on('close', () => { for (const t of timers) clearTimeout(t); });
      const later = (ms, f) => { const t = setTimeout(() => { timers.delete(t); f(); }, ms); timers.add(t); };
      const completion = () => JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: 'hello world' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } });
      const chunk = (text, finish = null) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: body.model, choices: [{ index: 0, delta: { content: text }, finish_reason: finish }] })}\n\n`;
      if (stream && mode === 'ok') mode = 'stream';
      switch (mode) {
        case 'ok': later(delay, () => { res.writeHead(200, { 'content-type': 'application/json', ...(body.rl ? { 'x-ratelimit-limit-requests': String(body.rl.limit), 'x-ratelimit-remaining-requests': String(body.rl.remaining), 'x-ratelimit-reset-requests': '60s' } : {}) }); res.end(completion()); }); break;
        case 'slow': later(delay * 10, () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(completion()); }); break;
        case 'err500': later(delay, () => { res.writeHead(500, { 'content-type': 'application/json' }); res.end('{"error":{"message":"boom","type":"server_error"}}'); }); break;
        case 'r429': later(delay, () => { res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }); res.end('{"error":{"message":"slow down","type":"rate_limit"}}'); }); break;
        case 'hang': break; // never answers
        case 'cutjson': later(delay, () => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' }); res.write('{"id":"c1","choi'); later(delay, () => res.socket.destroy()); }); break;
        case 'stream': case 'streamcut': case 'streamhang': case 'streamslow': {
          if (!stream) { res.writeHead(200, { 'content-type': 'application/json' }); res.end(completion()); break; }
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          const n = body.chunks ?? 5;
          let i = 0;
          const step = () => {
            if (res.destroyed) return;
            if (mode === 'streamcut' && i === 2) { res.socket.destroy(); return; }
            if (mode === 'streamhang' && i === 2) return;
            if (i >= n) { res.write(chunk('', 'stop')); res.end('data: [DONE]\n\n'); return; }
            res.write(chunk(`w${i} ` + 'z'.repeat(body.chunkSize ?? 0))); i++;
            later(mode === 'streamslow' ? delay * 5 : delay, step);
          };
          later(delay, step);
          break;
        }
        default: res.writeHead(400); res.end('{"error":{"message":"unknown mode"}}');
      }
    });
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    name, port, url: `http://127.0.0.1:${port}/v1`,
    get open() { return open.size; }, get sockets() { return sockets.size; }, get served() { return served; }, byMode,
    close: () => { for (const s of sockets) s.destroy(); return new Promise((r) => server.close(r)); },
  };
};
