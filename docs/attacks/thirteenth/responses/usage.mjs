// Usage/cost events for Responses (JSON + stream) and the tool-call stream cut mid-arguments.
import OpenAI from 'openai';
import { createFetch } from '@detour/node';
import { start, sse, events } from './upstream.mjs';
let cur = 'json';
const tool = events('resp_T', { tool: true });
const A = await start((req, r, body) => {
  if (cur === 'json') { r.writeHead(200, { 'content-type': 'application/json' }); return r.end(JSON.stringify({ id: 'resp_J', object: 'response', status: 'completed', output: [], usage: { input_tokens: 1000, input_tokens_details: { cached_tokens: 800 }, output_tokens: 100, output_tokens_details: { reasoning_tokens: 60 }, total_tokens: 1100 } })); }
  if (cur === 'stream') { sse(r); return r.end(events('resp_S').join('')); }
  if (cur === 'toolcut') { sse(r); r.write(tool.slice(0, 5).join('')); return setTimeout(() => r.destroy(), 30); }
  if (cur === 'tool') { sse(r); return r.end(tool.join('')); }
});
const fetch = createFetch({ endpoints: [{ name: 'A', baseUrl: A.url, apiKey: 'a' }] });
const evs = []; fetch.router.subscribe((e) => { if (/usage|cost|success|complete|settle|finish/i.test(e.type ?? '')) evs.push(e); });
const c = new OpenAI({ apiKey: 'x', fetch, maxRetries: 0 });
const { response } = await c.responses.create({ model: 'gpt-4.1', input: 'hi' }).withResponse();
console.log('json cost hdr', response.headers.get('x-detour-cost-usd'));
cur = 'stream'; for await (const e of await c.responses.create({ model: 'gpt-4.1', input: 'hi', stream: true })); 
await new Promise((r) => setTimeout(r, 100));
for (const e of evs) console.log(e.type, JSON.stringify(e.usage ?? e.cost ?? {}).slice(0, 200), e.costUsd ?? e.cost?.usd ?? '');
cur = 'toolcut'; let args = ''; let threw = null;
try { for await (const e of await c.responses.create({ model: 'gpt-4.1', input: 'hi', stream: true, tools: [{ type: 'function', name: 'get', parameters: { type: 'object', properties: {} } }] })) if (e.type === 'response.function_call_arguments.delta') args += e.delta; } catch (e) { threw = e.constructor.name; }
console.log('tool cut mid-args: args so far', JSON.stringify(args), 'threw', threw);
A.srv.close(); process.exit(0);
