// Programmable upstream: behaviour picked by the request's model name. Speaks OpenAI chat/responses and Anthropic messages.
import http from 'node:http';
export const stats = { requests: 0, open: 0, closedByPeer: 0, log: [] };
const sse = (res, events) => { for (const e of events) res.write(e); };
const chatChunk = (content, finish = null) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }] })}\n\n`;
export const startUpstream = (port = 0) => new Promise((resolve) => {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      stats.requests++;
      let json = {};
      try { json = JSON.parse(body); } catch {}
      const model = String(json.model ?? '');
      const auth = req.headers.authorization ?? req.headers['x-api-key'] ?? '';
      stats.log.push({ path: req.url, model, method: req.method, headers: req.headers });
      stats.open++;
      let ended = false;
      res.on('close', () => { stats.open--; if (!res.writableFinished) stats.closedByPeer++; });
      const path = req.url.split('?')[0];
      if (model.startsWith('echo-key')) {
        // echo the upstream key back in body and headers, with set-cookie/www-authenticate
        const b64 = Buffer.from(auth.replace(/^Bearer /, '')).toString('base64');
        res.writeHead(model === 'echo-key-200' ? 200 : 400, { 'content-type': 'application/json', 'set-cookie': 'sess=abc; Path=/', 'www-authenticate': 'Bearer realm="x"', 'x-echo': auth, 'x-echo-b64': b64, 'connection': 'x-secret-hop', 'x-secret-hop': 'hop', 'proxy-authenticate': 'Basic' });
        if (model === 'echo-key-200') return res.end(JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: `your key is ${auth} b64 ${b64}` }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
        return res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${auth} (${b64})`, type: 'invalid_request_error', code: 'bad' } }));
      }
      if (model === 'u401') { res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' }); return res.end(JSON.stringify({ error: { message: `bad key ${auth}`, type: 'invalid_request_error', code: 'invalid_api_key' } })); }
      if (req.headers['x-request-id'] === 'force429') { res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '20' }); return res.end(JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } })); }
      if (model.startsWith('r429')) {
        const ra = { 'r429-secs': '7', 'r429-date': new Date(Date.now() + 9000).toUTCString(), 'r429-ms': null, 'r429-huge': '999999999', 'r429-neg': '-5', 'r429-junk': 'soon' }[model];
        const h = { 'content-type': 'application/json' };
        if (ra) h['retry-after'] = ra;
        if (model === 'r429-ms') h['retry-after-ms'] = '3500';
        res.writeHead(429, h); return res.end(JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }));
      }
      if (model === 'hang') return; // never answers
      if (model === 'notjson') { res.writeHead(200, { 'content-type': json.stream ? 'text/event-stream' : 'application/json' }); return res.end('<html>not json</html>'); }
      if (model === 'html200') { res.writeHead(200, { 'content-type': 'text/html' }); return res.end('<html>oops</html>'); }
      if (model === 's500') { res.writeHead(500, { 'content-type': 'application/json' }); return res.end(JSON.stringify({ error: { message: 'boom', type: 'server_error' } })); }
      if (path.endsWith('/messages')) {
        const msg = { id: 'msg_1', type: 'message', role: 'assistant', model, content: [{ type: 'text', text: 'Hello' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } };
        if (!json.stream) { res.writeHead(200, { 'content-type': 'application/json' }); return res.end(JSON.stringify(msg)); }
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const ev = (t, d) => `event: ${t}\ndata: ${JSON.stringify(d)}\n\n`;
        sse(res, [ev('message_start', { type: 'message_start', message: { ...msg, content: [], stop_reason: null, usage: { input_tokens: 3, output_tokens: 0 } } }), ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }), ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } })]);
        if (model === 'cut') return setTimeout(() => res.socket.destroy(), 50);
        if (model === 'err-event-key-slow') return setTimeout(() => { res.write(ev('error', { type: 'error', error: { type: 'overloaded_error', message: `overloaded for ${auth}` } })); setTimeout(() => res.end(), 100); }, 150);
        if (model === 'err-event-key') return setTimeout(() => { res.write(ev('error', { type: 'error', error: { type: 'overloaded_error', message: `overloaded for ${auth}` } })); res.end(); }, 150);
        sse(res, [ev('content_block_stop', { type: 'content_block_stop', index: 0 }), ev('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 1 } }), ev('message_stop', { type: 'message_stop' })]);
        return res.end();
      }
      if (path.endsWith('/responses')) {
        const r = { id: 'resp_abc', object: 'response', status: 'completed', model, output: [{ type: 'message', id: 'm1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Hi', annotations: [] }] }], usage: { input_tokens: 2, output_tokens: 1, total_tokens: 3 } };
        if (!json.stream) { res.writeHead(200, { 'content-type': 'application/json' }); return res.end(JSON.stringify(r)); }
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const ev = (d) => `event: ${d.type}\ndata: ${JSON.stringify(d)}\n\n`;
        sse(res, [ev({ type: 'response.created', sequence_number: 0, response: { ...r, status: 'in_progress', output: [] } }), ev({ type: 'response.output_text.delta', sequence_number: 1, item_id: 'm1', output_index: 0, content_index: 0, delta: 'Hi' })]);
        if (model === 'cut') return setTimeout(() => res.socket.destroy(), 50);
        if (model === 'err-event-key') return setTimeout(() => { res.write(ev({ type: 'error', sequence_number: 2, code: 'server_error', message: `failed for ${auth}` })); res.end(); }, 150);
        if (model === 'err-event-key-slow') return setTimeout(() => { res.write(ev({ type: 'error', sequence_number: 2, code: 'server_error', message: `failed for ${auth}` })); setTimeout(() => res.end(), 100); }, 150);
        sse(res, [ev({ type: 'response.completed', sequence_number: 2, response: r })]);
        return res.end();
      }
      // chat
      if (!json.stream) {
        res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'yes' });
        return res.end(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } }));
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (model === 'big') { // as fast as the gateway reads: 64 KiB chunks, up to 200 MiB; count what was accepted
        stats.bigWritten = 0; const piece = chatChunk('x'.repeat(65000));
        const pump = () => { while (stats.bigWritten < 200 * 1048576) { if (res.destroyed) return; stats.bigWritten += piece.length; if (!res.write(piece)) return res.once('drain', pump); } res.end('data: [DONE]\n\n'); };
        return pump();
      }
      if (model.startsWith('drip')) { // one chunk every 300 ms forever
        let i = 0; const t = setInterval(() => { if (res.destroyed) return clearInterval(t); res.write(chatChunk(`d${i++} `)); }, 300);
        res.on('close', () => clearInterval(t)); return;
      }
      if (model === 'silent-after-first') { res.write(chatChunk('first')); return; }
      res.write(chatChunk('Hel'));
      if (model === 'cut') return setTimeout(() => res.socket.destroy(), 50);
      if (model === 'err-event-key') return setTimeout(() => { res.write(`data: ${JSON.stringify({ error: { message: `upstream failed for key ${auth}`, type: 'server_error' } })}\n\n`); setTimeout(() => res.socket.destroy(), 50); }, 150);
      if (model === 'cut-mid-event') { res.write('data: {"id":"c1","obj'); return setTimeout(() => res.socket.destroy(), 50); }
      res.write(chatChunk('lo'));
      res.write(chatChunk(null, 'stop'));
      if (json.stream_options?.include_usage) res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model, choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } })}\n\n`);
      res.write('data: [DONE]\n\n');
      res.end();
    });
  });
  server.listen(port, '127.0.0.1', () => resolve(server));
});
