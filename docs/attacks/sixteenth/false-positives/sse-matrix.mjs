// SSE variants a real server may send on /chat/completions: openai SDK direct vs through the gateway vs through createFetch.
import OpenAI from 'openai';
import { createFetch } from '@detour/node';
import { upstream, gateway, GW_KEY, hardStop } from './lib.mjs';

hardStop(120000);

const chunk = (content, finish = null, extra = {}) => ({
  id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm',
  choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }], ...extra,
});
const compact = (o) => `data: ${JSON.stringify(o)}\n\n`;

const variants = {
  baseline: [chunk('Hel'), chunk('lo'), chunk(null, 'stop')].map(compact).join('') + 'data: [DONE]\n\n',
  // sse-starlette / Spring split a data value with newlines into one `data:` line per line (SSE spec: joined by \n).
  multiline_pretty_json: [chunk('Hel'), chunk('lo'), chunk(null, 'stop')]
    .map((o) => JSON.stringify(o, null, 2).split('\n').map((l) => `data: ${l}`).join('\n') + '\n\n').join('') + 'data: [DONE]\n\n',
  multiline_two_lines: [chunk('Hel'), chunk('lo'), chunk(null, 'stop')]
    .map((o) => { const s = JSON.stringify(o); const k = s.indexOf(',"choices"'); return `data: ${s.slice(0, k + 1)}\ndata: ${s.slice(k + 1)}\n\n`; }).join('') + 'data: [DONE]\n\n',
  crlf: ([chunk('Hel'), chunk('lo'), chunk(null, 'stop')].map(compact).join('') + 'data: [DONE]\n\n').replace(/\n/g, '\r\n'),
  lone_cr: ([chunk('Hel'), chunk('lo'), chunk(null, 'stop')].map(compact).join('') + 'data: [DONE]\n\n').replace(/\n/g, '\r'),
  comments_openrouter: ': OPENROUTER PROCESSING\n\n: OPENROUTER PROCESSING\n\n' + [chunk('Hel'), chunk('lo'), chunk(null, 'stop')].map(compact).join('') + 'data: [DONE]\n\n',
  id_retry_fields: 'retry: 3000\n\n' + [chunk('Hel'), chunk('lo'), chunk(null, 'stop')].map((o, i) => `id: ${i}\n` + compact(o)).join('') + 'id: 9\ndata: [DONE]\n\n',
  event_message: [chunk('Hel'), chunk('lo'), chunk(null, 'stop')].map((o) => 'event: message\n' + compact(o)).join('') + 'event: message\ndata: [DONE]\n\n',
  bom: '\uFEFF' + [chunk('Hel'), chunk('lo'), chunk(null, 'stop')].map(compact).join('') + 'data: [DONE]\n\n',
  no_space: [chunk('Hel'), chunk('lo'), chunk(null, 'stop')].map((o) => `data:${JSON.stringify(o)}\n\n`).join('') + 'data:[DONE]\n\n',
  done_trailing_space: [chunk('Hel'), chunk('lo'), chunk(null, 'stop')].map(compact).join('') + 'data: [DONE] \n\n',
  no_done: [chunk('Hel'), chunk('lo'), chunk(null, 'stop')].map(compact).join(''),
  empty_data_keepalive: 'data: \n\n' + [chunk('Hel'), chunk('lo'), chunk(null, 'stop')].map(compact).join('') + 'data: [DONE]\n\n',
  // sse-starlette < 1.x (llama-cpp-python, FastChat, Xinference): `event: ping` with a date as data every 15 s.
  sse_starlette_ping: 'event: ping\r\ndata: 2024-05-01 12:00:00.000000\r\n\r\n' + [chunk('Hel'), chunk('lo'), chunk(null, 'stop')].map(compact).join('') + 'data: [DONE]\n\n',
  ping_event_json_mid: [chunk('Hel')].map(compact).join('') + 'event: ping\ndata: {}\n\n' + [chunk('lo'), chunk(null, 'stop')].map(compact).join('') + 'data: [DONE]\n\n',
  // A chat chunk whose text is about Anthropic events, with `type` first (a relay's own chunk shape).
  usage_after_finish: [chunk('Hel'), chunk('lo'), chunk(null, 'stop')].map(compact).join('') + compact({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }) + 'data: [DONE]\n\n',
  data_then_space_event_name: [chunk('Hel'), chunk('lo'), chunk(null, 'stop')].map((o) => 'event:message\n' + compact(o)).join('') + 'data: [DONE]\n\n',
};

const which = process.argv[2];
let current = 'baseline';
const up = await upstream((req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.end(variants[current]);
});

const gw = await gateway({ endpoints: [{ name: 'only', baseUrl: `${up.url}/v1`, apiKey: 'sk-test-aaaaBBBB1111cccc2222', provider: 'other' }], router: { maxAttempts: 1 } });
const detourFetch = createFetch({ endpoints: [{ name: 'only', baseUrl: `${up.url}/v1`, apiKey: 'sk-test-aaaaBBBB1111cccc2222' }], maxAttempts: 1 });

const clients = {
  direct: new OpenAI({ baseURL: `${up.url}/v1`, apiKey: 'x', maxRetries: 0, logger: { error() {}, warn() {}, info() {}, debug() {} } }),
  gateway: new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: GW_KEY, maxRetries: 0, logger: { error() {}, warn() {}, info() {}, debug() {} } }),
  createFetch: new OpenAI({ baseURL: `${up.url}/v1`, apiKey: 'unused', fetch: detourFetch, maxRetries: 0, logger: { error() {}, warn() {}, info() {}, debug() {} } }),
};

const run = async (client) => {
  let text = '';
  try {
    const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true });
    for await (const c of stream) text += c.choices?.[0]?.delta?.content ?? '';
    return `ok ${JSON.stringify(text)}`;
  } catch (e) {
    return `ERROR after ${JSON.stringify(text)}: ${e.constructor.name} ${String(e.message).slice(0, 160)}`;
  }
};

for (const name of Object.keys(variants)) {
  if (which && name !== which) continue;
  current = name;
  const out = [];
  for (const [label, client] of Object.entries(clients)) out.push(`  ${label.padEnd(11)} ${await run(client)}`);
  const differs = new Set(out.map((l) => l.slice(13).replace(/^ +/, ''))).size > 1;
  console.log(`${differs ? 'DIFF' : 'same'} ${name}\n${out.join('\n')}`);
}
await gw.stop();
await up.close();
process.exit(0);
