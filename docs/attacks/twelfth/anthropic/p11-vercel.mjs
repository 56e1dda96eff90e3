// Vercel AI SDK (@ai-sdk/anthropic + ai) through createFetch and the gateway: failover, tool call stream, cut tool stream, error after commit
import { createAnthropic } from '@ai-sdk/anthropic';
import { generateText, streamText, tool, jsonSchema } from 'ai';
import { raw, json, sse, anthErr, okMsg, createFetch, endpointsFor, gateway, deadline } from './lib.mjs';
deadline(40000);
const start = (id) => ['message_start', { type: 'message_start', message: { id, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } }];
const tu = [['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'weather', input: {} } }], ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"city": "Par' } }], ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: 'is"}' } }], ['content_block_stop', { type: 'content_block_stop', index: 0 }], ['message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 9 } }], ['message_stop', { type: 'message_stop' }]];
const tools = { weather: tool({ description: 'w', inputSchema: jsonSchema({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }) }) };
for (const via of ['fetch', 'gateway']) {
  for (const [label, primary] of [
    ['529 then tool stream on backup', (req, body, res) => json(res, 529, anthErr('overloaded_error', 'Overloaded'))],
    ['tool stream cut mid input json', (req, body, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); const ev = [start('p'), ...tu.slice(0, 2)]; let i = 0; const go = () => { if (i < ev.length) { res.write(sse([ev[i++]])); setTimeout(go, 15); } else res.destroy(); }; go(); }],
    ['overloaded error event after tool block start', (req, body, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); const ev = [start('p'), ...tu.slice(0, 2), ['error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }]]; let i = 0; const go = () => { if (i < ev.length) { res.write(sse([ev[i++]])); setTimeout(go, 15); } else res.end(); }; go(); }],
  ]) {
    const p = await raw('p', primary);
    const b = await raw('b', (req, body, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.end(sse([start('b'), ...tu])); });
    let provider, gw;
    if (via === 'fetch') provider = createAnthropic({ apiKey: 'unused', fetch: createFetch({ endpoints: endpointsFor([p, b]) }) });
    else { gw = await gateway([p, b]); provider = createAnthropic({ apiKey: 'gk-test', baseURL: gw.url + '/v1' }); }
    const parts = []; let err;
    const r = streamText({ model: provider('claude-sonnet-4-5'), prompt: 'weather?', tools, maxRetries: 0, onError: ({ error }) => { err = error; } });
    try { for await (const part of r.fullStream) { parts.push(part.type === 'tool-call' ? `tool-call(${JSON.stringify(part.input)})` : part.type === 'finish' ? `finish(${part.finishReason})` : part.type === 'error' ? `error(${String(part.error?.message ?? part.error).slice(0, 80)})` : part.type); } } catch (e) { parts.push('THROW ' + e.message.slice(0, 80)); }
    console.log(`[${via}] ${label}: ${parts.filter((t) => !/^(start|start-step|tool-input-delta|raw)$/.test(t)).join(', ')} | pHits=${p.reqs.length} bHits=${b.reqs.length}`);
    if (gw) await gw.close(); p.close(); b.close();
  }
}
process.exit(0);
