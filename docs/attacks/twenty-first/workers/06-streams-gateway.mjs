// SSE streams through the gateway's Workers entry (workerd) vs the Node gateway: chat / responses / messages cut
// mid-stream, dripped, never-ending with the caller leaving, and an upstream that echoes its key in an error body and
// in a stream line. Raw fetch as the caller; the upstream records when each request's socket closed.
import http from 'node:http';
import { gatewayInWorkerd, gatewayInNode, watchdog } from './lib.mjs';
watchdog(280000);
const KEY = 'sk-proj-SECRETSECRETSECRET1234567890abcd';
let mode = 'cut'; const closes = [];
const chatChunk = (i) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1', choices: [{ index: 0, delta: { content: `w${i} ` }, finish_reason: null }] })}\n\n`;
const respChunk = (i) => `event: response.output_text.delta\ndata: ${JSON.stringify({ type: 'response.output_text.delta', item_id: 'm1', output_index: 0, content_index: 0, delta: `w${i} `, sequence_number: i + 1 })}\n\n`;
const msgChunk = (i) => `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: `w${i} ` } })}\n\n`;
const starts = {
  chat: '',
  responses: `event: response.created\ndata: ${JSON.stringify({ type: 'response.created', sequence_number: 0, response: { id: 'resp_1', object: 'response', status: 'in_progress', model: 'gpt-4.1', output: [] } })}\n\n`,
  messages: `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, usage: { input_tokens: 1, output_tokens: 0 } } })}\n\nevent: content_block_start\ndata: ${JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })}\n\n`,
};
const chunkOf = { chat: chatChunk, responses: respChunk, messages: msgChunk };
const up = http.createServer((req, res) => {
  let b = ''; req.on('data', (c) => { b += c; });
  req.on('end', () => {
    const api = req.url.includes('/messages') ? 'messages' : req.url.includes('/responses') ? 'responses' : 'chat';
    const t0 = Date.now(); let sent = 0;
    res.on('close', () => closes.push({ mode, api, closedAfterMs: Date.now() - t0, chunksSent: sent }));
    if (mode === 'leak-error') { res.writeHead(401, { 'content-type': 'application/json' }); return res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${req.headers.authorization?.slice(7) ?? req.headers['x-api-key']}. You can find your API key at https://platform.openai.com/account/api-keys.`, type: 'invalid_request_error', code: 'invalid_api_key' } })); }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-upstream-key-echo': req.headers.authorization ?? req.headers['x-api-key'] ?? '' });
    res.write(starts[api]);
    if (mode === 'leak-stream') { res.write(chunkOf[api](0)); res.write(`data: ${JSON.stringify({ error: { message: `key ${req.headers.authorization?.slice(7) ?? req.headers['x-api-key']} over quota` } })}\n\n`); return res.end(); }
    const limit = mode === 'cut' ? 3 : mode === 'drip' ? 10 : Infinity;
    const t = setInterval(() => {
      if (res.destroyed) return clearInterval(t);
      res.write(chunkOf[api](sent++));
      if (sent === limit) { clearInterval(t); if (mode === 'cut') req.socket.destroy(); else { res.write(api === 'chat' ? 'data: [DONE]\n\n' : api === 'messages' ? 'event: message_stop\ndata: {"type":"message_stop"}\n\n' : `event: response.completed\ndata: ${JSON.stringify({ type: 'response.completed', sequence_number: 99, response: { id: 'resp_1', object: 'response', status: 'completed', model: 'gpt-4.1', output: [] } })}\n\n`); res.end(); } }
    }, mode === 'drip' ? 200 : 50);
  });
});
await new Promise((r) => up.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${up.address().port}/v1`;
const config = { gatewayKeys: [{ env: 'GW' }], adminKeys: undefined, endpoints: [
  { name: 'oai', baseUrl: base, apiKey: { env: 'KO' }, apis: ['chat', 'responses'] },
  { name: 'ant', baseUrl: base, apiKey: { env: 'KA' }, provider: 'anthropic' }] };
delete config.adminKeys;
const env = { GW: 'gw-key', KO: KEY, KA: 'sk-ant-api03-SECRETANTHROPIC0123456789' };
const bodies = {
  chat: ['/v1/chat/completions', { model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'hi' }] }],
  responses: ['/v1/responses', { model: 'gpt-4.1', stream: true, input: 'hi' }],
  messages: ['/v1/messages', { model: 'claude-sonnet-4-5', stream: true, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }],
};
const call = async (gw, api, { leaveAfterMs } = {}) => {
  const [path, body] = bodies[api]; const ac = new AbortController(); const t0 = Date.now();
  const r = await fetch(gw.url + path, { method: 'POST', signal: ac.signal, headers: { authorization: 'Bearer gw-key', 'x-api-key': 'gw-key', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const hdrs = [...r.headers].filter(([k]) => !['date', 'content-type', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)).map(([k, v]) => `${k}=${v}`).join(' ');
  let text = ''; const times = []; let err;
  try {
    const reader = r.body.getReader(); const dec = new TextDecoder();
    if (leaveAfterMs) setTimeout(() => ac.abort(), leaveAfterMs);
    for (;;) { const { done, value } = await reader.read(); if (done) break; times.push(Date.now() - t0); text += dec.decode(value, { stream: true }); }
  } catch (e) { err = `${e.name}: ${e.message}`; }
  return { status: r.status, hdrs, tail: text.slice(-260).replace(/\n/g, '\\n'), reads: times.length, firstRead: times[0], lastRead: times.at(-1), err, leak: text.includes('SECRET') || hdrs.includes('SECRET') };
};
for (const [label, gwStart] of [['workerd', () => gatewayInWorkerd(config, env)], ['node', () => gatewayInNode(config, env)]]) {
  const gw = await gwStart();
  for (const api of ['chat', 'responses', 'messages']) {
    mode = 'cut'; console.log(`[${label}] ${api} cut after 3 events:`, JSON.stringify(await call(gw, api)));
  }
  mode = 'drip'; console.log(`[${label}] chat drip 10 x 200 ms:`, JSON.stringify(await call(gw, 'chat')));
  for (const api of ['chat', 'messages']) {
    mode = 'forever'; closes.length = 0;
    console.log(`[${label}] ${api} never-ending, caller leaves at 1000 ms:`, JSON.stringify(await call(gw, api, { leaveAfterMs: 1000 })));
    await new Promise((r) => setTimeout(r, 3000));
    console.log(`[${label}]    upstream connection closed:`, JSON.stringify(closes), closes.length ? '' : '<== UPSTREAM STILL OPEN 3 s after the caller left');
  }
  for (const api of ['chat', 'messages']) {
    mode = 'leak-error'; console.log(`[${label}] ${api} upstream 401 echoing its key:`, JSON.stringify(await call(gw, api)));
    mode = 'leak-stream'; console.log(`[${label}] ${api} stream line + header echoing its key:`, JSON.stringify(await call(gw, api)));
  }
  for (const p of ['/healthz', '/metrics']) { const t = await (await fetch(gw.url + p)).text(); console.log(`[${label}] ${p}: ${t.length} chars, leaks key: ${t.includes('SECRET')}`); }
  await gw.close();
  await new Promise((r) => setTimeout(r, 500));
}
up.closeAllConnections(); up.close();
process.exit(0);
