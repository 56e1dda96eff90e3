import http from 'node:http';
export { default as Anthropic } from '@anthropic-ai/sdk';
export { default as OpenAI } from 'openai';
export const { loadConfig, startGateway } = await import('/tmp/a15-review/apps/worker/dist/index.js');
export const { createFetch } = await import('/tmp/a15-review/packages/node/dist/index.js');
export const GK = 'gk-test-123456789';
export const upstream = async (handler) => {
  const hits = [];
  const up = http.createServer((req, res) => { let body = ''; req.on('data', (c) => (body += c)); req.on('end', () => { hits.push(`${req.method} ${req.url}`); handler(req, res, body); }); });
  await new Promise((r) => up.listen(0, '127.0.0.1', r));
  return { up, hits, base: `http://127.0.0.1:${up.address().port}`, close: () => { up.closeAllConnections?.(); up.close(); } };
};
export const gateway = async (cfg) => startGateway({ config: loadConfig({ gatewayKeys: [GK], ...cfg }, {}), accessLog: () => {} });
export const ev = (type, o = {}) => `event: ${type}\ndata: ${JSON.stringify({ type, ...o })}\n\n`;
export const msgEvents = (text = 'Hello world.') => [
  ev('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 } } }),
  ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
  ev('content_block_stop', { index: 0 }),
  ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 3 } }),
];
export const MSG_STOP = ev('message_stop');
export const anthropicMsg = (text = 'hi', model = 'claude-sonnet-4-5') => ({ id: 'msg_1', type: 'message', role: 'assistant', model, content: [{ type: 'text', text }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } });
export const chatCompletion = (text = 'hi', model = 'gpt-4o-mini-2024-07-18', id = 'chatcmpl-AbC123') => ({ id, object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
export const postJson = (url, body, headers = {}) => fetch(url, { method: 'POST', headers: { authorization: `Bearer ${GK}`, 'x-api-key': GK, 'anthropic-version': '2023-06-01', 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
