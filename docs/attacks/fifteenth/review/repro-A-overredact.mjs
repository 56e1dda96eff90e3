// A: over-redaction. A non-secret extra header value that is >=16 chars with letters and digits (here Azure's
// api-version sent as a header, "2024-10-01-preview") is now "pieceable": every 8-char window of it is redacted in
// everything scrubbed, including a successful answer's headers and (when a chunk carries an SSE comment) the model's
// own streamed text. node repro-A-overredact.mjs
import { upstream, gateway, createFetch, OpenAI, GK } from './lib.mjs';
const HEADERS = { 'api-version': '2024-10-01-preview' };
const KEY = 'sk-proj-Zx9Qw7Lm2Nb5Vc8Tr4Yu6Io1Pa3Sd0Fg';
const chunk = (o) => `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-realtime-preview', choices: [o] })}\n\n`;
const TEXT = 'Use the 2024-10-01-preview API or gpt-4o-realtime-preview; released 2024-10-01.';
const u = await upstream((req, res, body) => {
  const b = JSON.parse(body || '{}');
  if (b.model === 'o1-preview') { res.writeHead(404, { 'content-type': 'application/json' }); res.end(JSON.stringify({ error: { message: 'The model `o1-preview` does not exist (api-version 2024-10-01-preview).', type: 'invalid_request_error', code: 'model_not_found' } })); return; }
  const h = { 'openai-model': 'gpt-4o-realtime-preview', 'openai-version': '2024-10-01', 'x-request-id': 'req_2024-10-01-preview-77', 'x-ms-deployment-name': 'gpt-4o-realtime-preview' };
  if (b.stream) {
    res.writeHead(200, { 'content-type': 'text/event-stream', ...h });
    // OpenRouter-style keep-alive comment in the same write as the content
    res.end(': OPENROUTER PROCESSING\n\n' + chunk({ index: 0, delta: { role: 'assistant', content: TEXT }, finish_reason: null }) + chunk({ index: 0, delta: {}, finish_reason: 'stop' }) + 'data: [DONE]\n\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json', ...h });
  res.end(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4o-realtime-preview', choices: [{ index: 0, message: { role: 'assistant', content: TEXT }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
});
const endpoints = [{ name: 'a', provider: 'openai', baseUrl: `${u.base}/v1`, apiKey: KEY, headers: HEADERS }];
const gw = await gateway({ endpoints });
for (const [label, client] of [['gateway', new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: GK, maxRetries: 0 })], ['createFetch', new OpenAI({ baseURL: `${u.base}/v1`, apiKey: 'x', fetch: createFetch({ endpoints }), maxRetries: 0 })]]) {
  const { data, response } = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
  console.log(`[${label}] non-stream: content intact=${data.choices[0].message.content === TEXT}`);
  for (const h of ['openai-model', 'openai-version', 'x-request-id', 'x-ms-deployment-name']) console.log(`[${label}]   header ${h}: ${JSON.stringify(response.headers.get(h))}`);
  let text = '';
  for await (const c of await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true })) text += c.choices[0]?.delta?.content ?? '';
  console.log(`[${label}] stream with an SSE comment in the chunk: content=${JSON.stringify(text)}\n[${label}]   sent    =${JSON.stringify(TEXT)}`);
  try { await client.chat.completions.create({ model: 'o1-preview', messages: [{ role: 'user', content: 'hi' }] }); } catch (e) { console.log(`[${label}] error message: ${JSON.stringify(e.error?.message ?? e.message)}`); }
}
const m = await (await fetch(`${gw.url}/metrics`)).text();
console.log('metrics model labels:', [...new Set([...m.matchAll(/model="([^"]*)"/g)].map((x) => x[1]))]);
await gw.close(0); u.close(); process.exit(0);
