// Same formats through createFetch (@detour/node) + openai SDK: Groq 498, streamed Responses content_filter,
// OpenRouter finish_reason "error" without payload. Prints attempts per fake and what the SDK got.
import { fake, OpenAI, hardExit, sleep } from './lib.mjs';
import { createRequire } from 'node:module';
const require = createRequire('/tmp/attack24a/packages/node/package.json');
const { createFetch } = await import('/tmp/attack24a/packages/node/dist/index.js');
hardExit(60000);
const sse = (s) => s.writeHead(200, { 'content-type': 'text/event-stream' });
const ev = (name, obj) => `event: ${name}\ndata: ${JSON.stringify(obj)}\n\n`;
const ok = (q, s) => { s.writeHead(200, { 'content-type': 'application/json' }); s.end(JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'B-OK' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } })); };
async function run(name, provider, aH, bH, call) {
  const a = await fake('a', aH), b = await fake('b', bH);
  const events = [];
  const fetch = createFetch({ endpoints: [{ name: 'a', baseUrl: a.url, apiKey: 'ka', provider, priority: 0 }, { name: 'b', baseUrl: b.url, apiKey: 'kb', provider, priority: 1 }] });
  const client = new OpenAI({ apiKey: 'unused', fetch, maxRetries: 0, baseURL: 'http://unused.invalid/v1' });
  let out;
  try { out = await call(client); } catch (e) { out = `ERR ${e.status} ${String(e.message).slice(0, 150)}`; }
  console.log(`## ${name}: a=${a.count} b=${b.count} -> ${JSON.stringify(out).slice(0, 300)}`);
  await fetch.router.close({ graceMs: 100 }).catch(() => {}); a.server.close(); b.server.close();
}
await run('groq-498 (createFetch)', 'groq', (q, s) => { s.writeHead(498, { 'content-type': 'application/json' }); s.end(JSON.stringify({ error: { message: 'flex tier capacity exceeded', type: 'capacity_exceeded', code: 'capacity_exceeded' } })); }, ok,
  async (c) => (await c.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })).choices[0].message.content);
const resp = (id, status, extra, delta) => async (q, s) => { sse(s); const r = { id, object: 'response', created_at: 1, status: 'in_progress', model: 'm', output: [] };
  s.write(ev('response.created', { type: 'response.created', sequence_number: 0, response: r }));
  s.write(ev('response.output_text.delta', { type: 'response.output_text.delta', sequence_number: 1, item_id: 'msg_1', output_index: 0, content_index: 0, delta }));
  s.end(ev(status === 'completed' ? 'response.completed' : 'response.incomplete', { type: status === 'completed' ? 'response.completed' : 'response.incomplete', sequence_number: 2, response: { ...r, status, ...extra, usage: { input_tokens: 10, output_tokens: 1, total_tokens: 11 } } })); };
await run('responses stream incomplete content_filter (createFetch)', 'openai', resp('resp_a', 'incomplete', { incomplete_details: { reason: 'content_filter' } }, 'A1 '), resp('resp_b', 'completed', {}, 'B-UNFILTERED'),
  async (c) => { let t = '', last; for await (const e of await c.responses.create({ model: 'm', input: 'hi', stream: true })) { if (e.type === 'response.output_text.delta') t += e.delta; last = e.type; } return { text: t, last }; });
process.exit(0);
