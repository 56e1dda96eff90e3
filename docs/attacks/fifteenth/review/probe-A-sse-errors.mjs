// A: key pieces in streamed error forms, through the gateway (raw bytes the caller receives).
import { upstream, gateway, msgEvents, GK } from './lib.mjs';
const KEY = 'sk-proj-AbCdEfGhn0123456789XyZwVuT';
const TAIL = KEY.slice(-17);
const cc = (o) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }], ...o })}\n\n`;
const scen = {
  'chat: error object not first key, no finish_reason': { api: 'chat', body: cc({}) + `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', error: { message: `provider auth failed for key …${TAIL}`, code: 502 } })}\n\n` },
  'chat: {"error":…} first key': { api: 'chat', body: cc({}) + `data: ${JSON.stringify({ error: { message: `provider auth failed for key …${TAIL}`, code: 502 } })}\n\n` },
  'chat: error key tail after \\n (json break?)': { api: 'chat', body: cc({}) + `data: ${JSON.stringify({ error: { message: `provider auth failed, key:\n${KEY.slice(KEY.indexOf('n0') + 1)}`, code: 502 } })}\n\n` },
  'messages: error event, key tail after \\n': { api: 'messages', body: msgEvents().slice(0, 3).join('') + `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'api_error', message: `key:\n${KEY.slice(KEY.indexOf('n0') + 1)}` } })}\n\n` },
  'messages: error data split over 2 data lines': { api: 'messages', body: msgEvents().slice(0, 3).join('') + `event: error\ndata: {"type":"error","error":{"type":"api_error","message":"key ${KEY.slice(0, 20)}\ndata: ${KEY.slice(20)}"}}\n\n` },
  'responses: response.failed quoting key': { api: 'responses', body: `event: response.created\ndata: {"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","status":"in_progress","model":"gpt-4.1-mini","output":[]}}\n\nevent: response.failed\ndata: ${JSON.stringify({ type: 'response.failed', sequence_number: 1, response: { id: 'resp_1', object: 'response', status: 'failed', model: 'gpt-4.1-mini', output: [], error: { code: 'server_error', message: `bad key …${TAIL}` } } })}\n\n` },
  'responses: unknown event type quoting key': { api: 'responses', body: `event: response.created\ndata: {"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","status":"in_progress","model":"gpt-4.1-mini","output":[]}}\n\nevent: response.debug\ndata: ${JSON.stringify({ type: 'response.debug', note: `key …${TAIL}` })}\n\n` },
};
let cur;
const u = await upstream((req, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.write(cur.body); setTimeout(() => res.socket.end(), 30); });
for (const [name, s] of Object.entries(scen)) {
  cur = s;
  const gw = await gateway({ endpoints: [{ name: 'a', provider: s.api === 'messages' ? 'anthropic' : 'openai', baseUrl: `${u.base}/v1`, apiKey: KEY }], router: { rescue: 'off' } });
  const path = { chat: '/v1/chat/completions', messages: '/v1/messages', responses: '/v1/responses' }[s.api];
  const body = s.api === 'responses' ? { model: 'gpt-4.1-mini', input: 'hi', stream: true } : { model: 'm', max_tokens: 5, stream: true, messages: [{ role: 'user', content: 'hi' }] };
  let text = '';
  try { const r = await fetch(gw.url + path, { method: 'POST', headers: { authorization: `Bearer ${GK}`, 'x-api-key': GK, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' }, body: JSON.stringify(body) }); const rd = r.body.getReader(); const dec = new TextDecoder(); for (;;) { const { done, value } = await rd.read(); if (done) break; text += dec.decode(value); } } catch (e) { text += `<<${e.message}>>`; }
  let longest = ''; for (let i = 0; i < KEY.length; i++) for (let j = i + 8; j <= KEY.length; j++) if (text.includes(KEY.slice(i, j)) && j - i > longest.length) longest = KEY.slice(i, j);
  const bad = text.split('\n').filter((l) => l.startsWith('data: {')).filter((l) => { try { JSON.parse(l.slice(6)); return false; } catch { return true; } });
  console.log(`## ${name}\n   longest key piece reaching caller: ${longest.length} ${JSON.stringify(longest)}; invalid JSON data lines: ${bad.length ? JSON.stringify(bad) : 0}`);
  await gw.close(0);
}
u.close(); process.exit(0);
