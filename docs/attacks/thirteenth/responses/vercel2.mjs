// Vercel generateText/generateObject (responses model) via createFetch; non-stream 200 with status failed/incomplete; failover.
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, generateObject, streamText } from 'ai';
import { z } from 'zod';
import { createFetch } from '@detour/node';
import { start, sse, events } from './upstream.mjs';
let cur;
const mkResp = (id, status, text, extra = {}) => ({ id, object: 'response', created_at: 1, status, model: 'gpt-4.1', output: [{ type: 'message', id: 'm', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] }], usage: { input_tokens: 3, input_tokens_details: { cached_tokens: 0 }, output_tokens: 2, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 5 }, ...extra });
const A = await start((req, r) => {
  r.writeHead(200, { 'content-type': 'application/json' });
  if (cur === 'failed') return r.end(JSON.stringify(mkResp('resp_A', 'failed', '{"a":', { error: { code: 'server_error', message: 'boom' } })));
  if (cur === 'incomplete') return r.end(JSON.stringify(mkResp('resp_A', 'incomplete', '{"a":', { incomplete_details: { reason: 'content_filter' } })));
  if (cur === 'truncjson') return r.end(JSON.stringify(mkResp('resp_A', 'completed', 'x')).slice(0, 60));
  return r.end(JSON.stringify(mkResp('resp_A', 'completed', '{"a":1}')));
});
const B = await start((req, r) => { r.writeHead(200, { 'content-type': 'application/json' }); r.end(JSON.stringify(mkResp('resp_B', 'completed', '{"a":2}'))); });
for (cur of ['ok', 'failed', 'incomplete', 'truncjson']) {
  const openai = createOpenAI({ apiKey: 'x', fetch: createFetch({ endpoints: [{ name: 'A', baseUrl: A.url, apiKey: 'a', priority: 0 }, { name: 'B', baseUrl: B.url, apiKey: 'b', priority: 1 }] }) });
  let o1, o2;
  try { const g = await generateText({ model: openai('gpt-4.1'), prompt: 'hi', maxRetries: 0 }); o1 = `text=${JSON.stringify(g.text)} finish=${g.finishReason}`; } catch (e) { o1 = 'throw ' + e.message.slice(0, 60); }
  try { const g = await generateObject({ model: openai('gpt-4.1'), prompt: 'hi', schema: z.object({ a: z.number() }), maxRetries: 0 }); o2 = `obj=${JSON.stringify(g.object)} finish=${g.finishReason}`; } catch (e) { o2 = 'throw ' + e.message.slice(0, 60); }
  console.log(cur.padEnd(11), '| generateText:', o1, '| generateObject:', o2);
}
A.srv.close(); B.srv.close(); process.exit(0);
