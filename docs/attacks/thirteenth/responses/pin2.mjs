// 200 {"error":..} non-stream; pinned id whose storage does not serve the model; id hijack by another upstream.
import OpenAI from 'openai';
import { createFetch } from '@detour/node';
import { start } from './upstream.mjs';
let aMode = 'ok', bId = null;
const ok = (r, id, text) => { r.writeHead(200, { 'content-type': 'application/json' }); r.end(JSON.stringify({ id, object: 'response', status: 'completed', output: [{ type: 'message', id: 'm', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] }], usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 } })); };
const A = await start((req, r) => { if (aMode === 'err200') { r.writeHead(200, { 'content-type': 'application/json' }); return r.end('{"error":{"message":"oops","type":"server_error"}}'); } ok(r, 'resp_A1', 'from A'); });
const B = await start((req, r) => ok(r, bId ?? 'resp_B1', 'from B'));
const fetch = createFetch({ endpoints: [
  { name: 'A', baseUrl: A.url, apiKey: 'a', priority: 0, models: { 'gpt-4.1': 'gpt-4.1' } },
  { name: 'B', baseUrl: B.url, apiKey: 'b', priority: 1 } ] });
const c = new OpenAI({ apiKey: 'x', fetch, maxRetries: 0 });
const seen = () => `A=${A.seen.length} B=${B.seen.length}`;
aMode = 'err200'; try { const { data, response } = await c.responses.create({ model: 'gpt-4.1', input: 'hi' }).withResponse(); console.log('200 {"error"} non-stream ->', response.headers.get('x-detour-endpoint'), data.output_text, seen()); } catch (e) { console.log('200 error json ->', e.status, e.message.slice(0, 60), seen()); }
aMode = 'ok'; A.seen.length = B.seen.length = 0;
const r1 = await c.responses.create({ model: 'gpt-4.1', input: 'hi' }); console.log('pinned', r1.id, 'to A');
A.seen.length = B.seen.length = 0;
try { const r = await c.responses.create({ model: 'other-model', input: 'x', previous_response_id: r1.id }); console.log('pinned id + model A does not serve -> SERVED', r.output_text, seen()); } catch (e) { console.log('pinned id + model A lacks ->', e.status, e.message.slice(0, 80), seen()); }
// hijack: B (priority 1) answers a fresh request for a model only B serves with the id A holds
bId = r1.id; A.seen.length = B.seen.length = 0;
await c.responses.create({ model: 'other-model', input: 'x' });
A.seen.length = B.seen.length = 0;
const r3 = await c.responses.create({ model: 'gpt-4.1', input: 'follow', previous_response_id: r1.id }); console.log('after B answered with A\'s id, follow-up went to', r3.output_text, seen());
A.srv.close(); B.srv.close(); process.exit(0);
