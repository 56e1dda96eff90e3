// Vercel AI SDK (ai 5, @ai-sdk/openai 2): generateText / streamText over chat and Responses, direct vs gateway vs
// createFetch: text, finishReason, usage (cached and reasoning tokens), tool calls.
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText, tool, jsonSchema } from 'ai';
import { upstream, gateway, createFetch, json, UPKEY, GK, show } from './lib.mjs';

const chatUsage = { prompt_tokens: 1000, completion_tokens: 300, total_tokens: 1300, prompt_tokens_details: { cached_tokens: 800 }, completion_tokens_details: { reasoning_tokens: 200 } };
const respUsage = { input_tokens: 1000, input_tokens_details: { cached_tokens: 800 }, output_tokens: 300, output_tokens_details: { reasoning_tokens: 200 }, total_tokens: 1300 };
const respObj = (status, output, usage) => ({ id: 'resp_v1', object: 'response', created_at: 1, status, model: 'o4-mini', output, usage, error: null, incomplete_details: null, parallel_tool_calls: true, tool_choice: 'auto', tools: [] });
const outputItems = [
  { type: 'reasoning', id: 'rs_1', summary: [] },
  { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}', status: 'completed' },
];
const up = await upstream((req, buf, res) => {
  const b = JSON.parse(buf);
  const u = new URL(req.url, 'http://x');
  if (u.pathname === '/v1/chat/completions') {
    if (!b.stream) return json(res, 200, { id: 'c', object: 'chat.completion', created: 1, model: 'o4-mini', choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] }, finish_reason: 'tool_calls' }], usage: chatUsage });
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const c = (rest) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'o4-mini', ...rest, usage: null })}\n\n`;
    res.write(c({ choices: [{ index: 0, delta: { role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'weather', arguments: '' } }] }, finish_reason: null }] }));
    res.write(c({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":"Paris"}' } }] }, finish_reason: null }] }));
    res.write(c({ choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] }));
    if (b.stream_options?.include_usage) res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'o4-mini', choices: [], usage: chatUsage })}\n\n`);
    return res.end('data: [DONE]\n\n');
  }
  if (!b.stream) return json(res, 200, respObj('completed', outputItems, respUsage));
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  let seq = 0;
  const e = (x) => res.write(`event: ${x.type}\ndata: ${JSON.stringify({ ...x, sequence_number: seq++ })}\n\n`);
  e({ type: 'response.created', response: respObj('in_progress', [], null) });
  e({ type: 'response.in_progress', response: respObj('in_progress', [], null) });
  e({ type: 'response.output_item.added', output_index: 0, item: { type: 'reasoning', id: 'rs_1', summary: [] } });
  e({ type: 'response.output_item.done', output_index: 0, item: { type: 'reasoning', id: 'rs_1', summary: [] } });
  e({ type: 'response.output_item.added', output_index: 1, item: { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'weather', arguments: '', status: 'in_progress' } });
  e({ type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 1, delta: '{"city":' });
  e({ type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 1, delta: '"Paris"}' });
  e({ type: 'response.function_call_arguments.done', item_id: 'fc_1', output_index: 1, arguments: '{"city":"Paris"}' });
  e({ type: 'response.output_item.done', output_index: 1, item: outputItems[1] });
  e({ type: 'response.completed', response: respObj('completed', outputItems, respUsage) });
  res.end();
});
const gw = await gateway([{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }]);
const dfetch = createFetch({ endpoints: [{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }] });
const providers = {
  direct: createOpenAI({ apiKey: UPKEY, baseURL: up.url }),
  gateway: createOpenAI({ apiKey: GK, baseURL: `${gw.url}/v1` }),
  createFetch: createOpenAI({ apiKey: 'x', fetch: dfetch }),
};
const tools = { weather: tool({ description: 'w', inputSchema: jsonSchema({ type: 'object', properties: { city: { type: 'string' } } }) }) };
const summary = (r) => `finish=${r.finishReason} tools=${JSON.stringify(r.toolCalls.map((t) => [t.toolName, t.input]))} usage=${JSON.stringify(r.usage)}`;
for (const [name, p] of Object.entries(providers)) {
  for (const [kind, model] of [['responses', p('o4-mini')], ['chat', p.chat('o4-mini')]]) {
    try {
      const g = await generateText({ model, prompt: 'w?', tools, maxRetries: 0 });
      show(`${name} ${kind} generateText`, summary(g));
      const s = streamText({ model, prompt: 'w?', tools, maxRetries: 0, onError: ({ error }) => show('   stream error', String(error)) });
      await s.consumeStream();
      show(`${name} ${kind} streamText  `, `finish=${await s.finishReason} tools=${JSON.stringify((await s.toolCalls).map((t) => [t.toolName, t.input]))} usage=${JSON.stringify(await s.usage)}`);
    } catch (e) { show(`${name} ${kind}`, `THROWS ${e.message.slice(0, 200)}`); }
  }
}
show('gateway log', gw.logs.map((l) => `${l.route} ${l.status} cost=${l.costUsd}`));
await gw.close(0); await dfetch.router.close(); await up.close();
