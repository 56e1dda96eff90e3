// Through the gateway: answers corrupted by the scrubber when an endpoint carries a non-secret extra header value
// (Helicone property header) or its key is a JWT (every HS256 JWT shares the same header piece).
import OpenAI from 'openai';
import { upstream, gateway, GW_KEY, hardStop } from './lib.mjs';
hardStop(60000);
const quiet = { error() {}, warn() {}, info() {}, debug() {} };
const content = 'Deploy to production. Example HS256 JWT: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const up = await upstream((req, res, body) => {
  const json = JSON.parse(body);
  if (json.stream) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const c = (d, f = null) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: json.model, choices: [{ index: 0, delta: d, finish_reason: f }] })}\n\n`;
    return res.end(c({ content }) + c({}, 'stop') + 'data: [DONE]\n\n');
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: json.model, choices: [{ index: 0, message: { role: 'assistant', content, tool_calls: [{ id: 't', type: 'function', function: { name: 'deploy', arguments: '{"env":"production"}' } }] }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
});
const gw = await gateway({ endpoints: [{ name: 'ep', baseUrl: `${up.url}/v1`, provider: 'openai',
  apiKey: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoiYW5vbiIsImlhdCI6MTcwMDAwMDAwMH0.Qm9xR3dKc1ZmZ2hUeXBLd3RjbVhhbXBsZVNpZ24',
  headers: { 'Helicone-Property-Environment': 'production' } }] });
const c = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: GW_KEY, maxRetries: 0, logger: quiet });
const r = await c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
console.log('upstream content : ', content);
console.log('JSON  content    : ', r.choices[0].message.content);
console.log('JSON  tool args  : ', r.choices[0].message.tool_calls[0].function.arguments, '(upstream sent {"env":"production"})');
let s = '';
for await (const x of await c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true })) s += x.choices?.[0]?.delta?.content ?? '';
console.log('stream content   : ', s);
await gw.stop(); await up.close(); process.exit(0);
