// createFetch + real openai SDK: relayed headers (duplicates, mixed case, obs-text, changing order) vs what upstream sent.
import { rawUpstream, reqFrom, detourNode, completion, rawResponse } from './lib.mjs';
const OpenAI = reqFrom('openai').default ?? reqFrom('openai');
const variants = [
  ['Content-Type: application/json', 'X-RateLimit-Remaining-Requests: 5', 'x-ratelimit-remaining-requests: 7', 'Set-Cookie: a=1', 'X-Odd: caf\xe9', 'X-A: 1', 'x-request-id: req_1'],
  ['x-request-id: req_2', 'content-type: application/json'],
];
let n = 0;
const up = await rawUpstream((socket) => socket.write(rawResponse(200, variants[n++ % 2], completion())));
const f = detourNode.createFetch({ endpoints: [{ name: 'a', baseUrl: up.url, apiKey: 'sk-test-aaaaaaaaaaaaaaaaaaaa' }] });
const client = new OpenAI({ apiKey: 'x', fetch: f, maxRetries: 0 });
for (let i = 0; i < 2; i++) {
  const { data, response } = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
  console.log('answer', i, data.choices[0].message.content, JSON.stringify([...response.headers]));
}
await f.router.close(); up.server.close(); process.exit(0);
