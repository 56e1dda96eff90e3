// Valid OpenAI/Anthropic requests through the gateway at default settings: status, and whether the upstream got the
// caller's body unchanged (stream_options injection aside, which is reported).
import { upstream, gateway, GW_KEY, hardStop } from './lib.mjs';
hardStop(90000);
const up = await upstream((req, res, body) => {
  const json = body ? JSON.parse(body) : {};
  if (req.url.endsWith('/messages')) {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ id: 'msg_1', type: 'message', role: 'assistant', model: json.model, content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } }));
  }
  if (req.url.endsWith('/embeddings')) {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2] }], model: json.model, usage: { prompt_tokens: 2, total_tokens: 2 } }));
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  const n = json.n ?? 1;
  res.end(JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: json.model, choices: Array.from({ length: n }, (_, i) => ({ index: i, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' })), usage: { prompt_tokens: 3, completion_tokens: n, total_tokens: 3 + n } }));
});
const gw = await gateway({ endpoints: [
  { name: 'oai', baseUrl: `${up.url}/v1`, apiKey: 'sk-test-aaaaBBBB1111cccc2222', provider: 'openai' },
  { name: 'ant', baseUrl: `${up.url}/v1`, apiKey: 'sk-ant-test-aaaaBBBB1111cccc2222', provider: 'anthropic' },
] });
const img = (mb) => 'data:image/png;base64,' + Buffer.alloc(Math.floor(mb * 1024 * 1024 * 3 / 4), 7).toString('base64');
const cases = [
  ['chat slash model', '/v1/chat/completions', { model: 'meta-llama/Llama-3-70b-chat-hf', messages: [{ role: 'user', content: 'hi' }] }],
  ['chat colon ft model', '/v1/chat/completions', { model: 'ft:gpt-4o-mini-2024-07-18:my-org:custom:9xYz1234', messages: [{ role: 'user', content: 'hi' }] }],
  ['chat ollama tag', '/v1/chat/completions', { model: 'llama3.1:8b-instruct-q4_K_M', messages: [{ role: 'user', content: 'hi' }] }],
  ['chat unicode model', '/v1/chat/completions', { model: 'модель-中文-🚀', messages: [{ role: 'user', content: 'hi' }] }],
  ['chat n=3', '/v1/chat/completions', { model: 'gpt-4o', n: 3, messages: [{ role: 'user', content: 'hi' }] }],
  ['chat image url + tools', '/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'text', text: 'what' }, { type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'high' } }] }], tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } }], tool_choice: 'auto', parallel_tool_calls: false, seed: 12345678901234567890, logit_bias: { '50256': -100 }, metadata: { a: 'b' }, store: false }],
  ['chat max_tokens 128k', '/v1/chat/completions', { model: 'gpt-4.1', max_tokens: 128000, messages: [{ role: 'user', content: 'hi' }] }],
  ['chat 12 MB base64 image (OpenAI allows 50 MB/request)', '/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: img(12) } }] }] }],
  ['messages 20 MB base64 PDF (Anthropic allows 32 MB/request)', '/v1/messages', { model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: Buffer.alloc(15 * 1024 * 1024, 1).toString('base64') } }, { type: 'text', text: 'summarise' }] }] }],
  ['messages model with @ (Vertex style)', '/v1/messages', { model: 'claude-3-5-sonnet-v2@20241022', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }],
  ['embeddings token arrays', '/v1/embeddings', { model: 'text-embedding-3-small', input: [[1, 2, 3], [4, 5]], encoding_format: 'float', dimensions: 256 }],
];
for (const [label, path, body] of cases) {
  const text = JSON.stringify(body);
  const before = up.requests.length;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${GW_KEY}` };
  if (path === '/v1/messages') headers['anthropic-version'] = '2023-06-01';
  const r = await fetch(gw.url + path, { method: 'POST', headers, body: text });
  const answer = await r.text();
  const got = up.requests.slice(before).map((q) => q.body);
  const same = got.length === 0 ? 'no upstream request' : got.every((g) => g === text.replace(/"model":"[^"]*"/, (m) => m)) ? 'body relayed byte-identical' : 'body CHANGED';
  console.log(`${r.status} ${label} (${(text.length / 1048576).toFixed(1)} MiB): ${same}; ${r.status >= 400 ? answer.slice(0, 200) : ''}`);
}
await gw.stop(); await up.close(); process.exit(0);
