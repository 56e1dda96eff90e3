// Black-box through createFetch with real SDKs: JSON + stream usage for chat, responses, messages.
import { upstream, sse, json, d, ev, watchdog, chatChunk, R } from './up.mjs';
const { createFetch } = await import(`${R}/packages/node/dist/index.js`);
const { default: OpenAI } = await import(`${R}/node_modules/.pnpm/openai@6.49.0_ws@8.18.0_zod@4.6.7/node_modules/openai/index.mjs`);
const { default: Anthropic } = await import(`${R}/node_modules/.pnpm/@anthropic-ai+sdk@1.15.0_zod@4.6.7/node_modules/@anthropic-ai/sdk/index.mjs`);
watchdog();
const chatUsage = { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500, prompt_tokens_details: { cached_tokens: 800, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 300, audio_tokens: 0 } };
const respUsage = { input_tokens: 1000, input_tokens_details: { cached_tokens: 800 }, output_tokens: 500, output_tokens_details: { reasoning_tokens: 300 }, total_tokens: 1500 };
const anthStart = { input_tokens: 100, cache_creation_input_tokens: 300, cache_read_input_tokens: 1000, cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 }, output_tokens: 1 };
const anthFinal = { ...anthStart, output_tokens: 50 };
const up = await upstream(async (req, body, res) => {
  if (req.url.endsWith('/chat/completions')) {
    if (!body.stream) return json(res, { id: 'c', object: 'chat.completion', model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: chatUsage });
    const wantUsage = body.stream_options?.include_usage;
    return sse(res, [d(chatChunk('hi', wantUsage ? { usage: null } : {})), d({ ...chatChunk(''), choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], ...(wantUsage ? { usage: null } : {}) }), ...(wantUsage ? [d({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: chatUsage })] : []), 'data: [DONE]\n\n']);
  }
  if (req.url.endsWith('/responses')) {
    const resp = { id: 'resp_1', object: 'response', created_at: 1, status: 'completed', model: body.model, output: [{ type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'hi', annotations: [] }] }], usage: respUsage };
    if (!body.stream) return json(res, resp);
    return sse(res, [ev('response.created', { type: 'response.created', sequence_number: 0, response: { ...resp, status: 'in_progress', output: [], usage: null } }), ev('response.output_text.delta', { type: 'response.output_text.delta', sequence_number: 1, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'hi' }), ev('response.completed', { type: 'response.completed', sequence_number: 2, response: resp })]);
  }
  if (req.url.endsWith('/messages')) {
    const msg = { id: 'msg_1', type: 'message', role: 'assistant', model: body.model, content: [{ type: 'text', text: 'hi' }], stop_reason: 'end_turn', stop_sequence: null, usage: anthFinal };
    if (!body.stream) return json(res, msg);
    return sse(res, [ev('message_start', { type: 'message_start', message: { ...msg, content: [], stop_reason: null, usage: anthStart } }), ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }), ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'hi' } }), ev('content_block_stop', { type: 'content_block_stop', index: 0 }), ev('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: anthFinal }), ev('message_stop', { type: 'message_stop' })]);
  }
  res.writeHead(404); res.end();
});
const mode = process.argv[2] ?? 'passthrough';
const fetch = createFetch({ endpoints: [{ name: 'a', baseUrl: `${up.url}/v1`, apiKey: 'k' }, { name: 'b', provider: 'anthropic', baseUrl: `${up.url}/v1`, apiKey: 'k' }], streamUsage: mode });
const records = [];
fetch.router.subscribe((e) => { if (e.type === 'cost-record') records.push(e); });
const oa = new OpenAI({ apiKey: 'x', baseURL: 'http://detour.invalid/v1', fetch, maxRetries: 0 });
const an = new Anthropic({ apiKey: 'x', baseURL: 'http://detour.invalid', fetch, maxRetries: 0 });
const take = (label) => { const r = records.splice(0); console.log(label, JSON.stringify(r.map((e) => ({ model: e.model, costUsd: e.costUsd, est: e.estimated, outcome: e.outcome, usage: e.usage })))); };
const tick = () => new Promise((r) => setTimeout(r, 50));
{ const { response } = await oa.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x' }] }).withResponse(); await tick(); console.log('chat json header', response.headers.get('x-detour-cost-usd'), 'expected', (200*2+800*0.5+500*8)/1e6); take(' rec'); }
{ const s = await oa.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x' }], stream: true, stream_options: { include_usage: true } }); let last; for await (const c of s) last = c; await tick(); console.log('chat stream caller-usage, last usage to caller', JSON.stringify(last?.usage)); take(' rec'); }
{ const s = await oa.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x' }], stream: true }); let n = 0, u; for await (const c of s) { n++; if (c.usage) u = c.usage; } await tick(); console.log(`chat stream no caller usage (${mode}): chunks to caller`, n, 'usage seen by caller', JSON.stringify(u), 'upstream got stream_options', JSON.stringify(up.seen.at(-1).body.stream_options)); take(' rec'); }
{ const { response } = await oa.responses.create({ model: 'gpt-5', input: 'x' }).withResponse(); await tick(); console.log('responses json header', response.headers.get('x-detour-cost-usd'), 'expected', (200*1.25+800*0.125+500*10)/1e6); take(' rec'); }
{ const s = await oa.responses.create({ model: 'gpt-5', input: 'x', stream: true }); for await (const c of s); await tick(); take('responses stream rec'); }
{ const { response } = await an.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).withResponse(); await tick(); console.log('messages json header', response.headers.get('x-detour-cost-usd'), 'expected', (100*3+1000*0.3+100*3.75+200*6+50*15)/1e6); take(' rec'); }
{ const s = await an.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'x' }], stream: true }); for await (const c of s); await tick(); take('messages stream rec'); }
await fetch.router.close?.(); await up.close(); process.exit(0);
