// Responses stream cut / failed / incomplete; Anthropic older message_delta (output only).
import { upstream, sse, ev, watchdog, R } from './up.mjs';
const { createFetch } = await import(`${R}/packages/node/dist/index.js`);
watchdog(30000);
let sc;
const respUsage = { input_tokens: 1000, input_tokens_details: { cached_tokens: 800 }, output_tokens: 500, output_tokens_details: { reasoning_tokens: 300 }, total_tokens: 1500 };
const resp = (status, extra = {}) => ({ id: 'resp_1', object: 'response', created_at: 1, status, model: 'gpt-5', output: [], usage: null, ...extra });
const delta = (i) => ev('response.output_text.delta', { type: 'response.output_text.delta', sequence_number: i, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'w ' });
const up = await upstream(async (req, body, res) => {
  if (sc === 'resp-cut') return sse(res, [ev('response.created', { type: 'response.created', response: resp('in_progress') }), ...Array.from({ length: 100 }, (_, i) => delta(i))], { end: 'destroy' });
  if (sc === 'resp-failed') return sse(res, [ev('response.created', { type: 'response.created', response: resp('in_progress') }), delta(1), ev('response.failed', { type: 'response.failed', response: resp('failed', { error: { code: 'server_error', message: 'x' }, usage: respUsage }) })]);
  if (sc === 'resp-incomplete') return sse(res, [ev('response.created', { type: 'response.created', response: resp('in_progress') }), delta(1), ev('response.incomplete', { type: 'response.incomplete', response: resp('incomplete', { incomplete_details: { reason: 'max_output_tokens' }, usage: respUsage }) })]);
  if (sc === 'anth-old') {
    const u0 = { input_tokens: 100, cache_creation_input_tokens: 300, cache_read_input_tokens: 1000, output_tokens: 1 };
    return sse(res, [ev('message_start', { type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', model: body.model, content: [], stop_reason: null, stop_sequence: null, usage: u0 } }), ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }), ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'hi' } }), ev('content_block_stop', { type: 'content_block_stop', index: 0 }), ev('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 50 } }), ev('message_stop', { type: 'message_stop' })]);
  }
});
for (const [label, s, path, model] of [['responses stream cut after 100 deltas', 'resp-cut', 'responses', 'gpt-5'], ['responses stream ending in response.failed with usage', 'resp-failed', 'responses', 'gpt-5'], ['responses response.incomplete (max_output_tokens)', 'resp-incomplete', 'responses', 'gpt-5'], ['anthropic message_delta with output_tokens only', 'anth-old', 'messages', 'claude-sonnet-4-5']]) {
  sc = s;
  const fetch = createFetch({ endpoints: [{ name: path === 'messages' ? 'anth' : 'a', provider: path === 'messages' ? 'anthropic' : 'openai', baseUrl: `${up.url}/v1`, apiKey: 'k' }], maxAttempts: 1 });
  const recs = []; fetch.router.subscribe((e) => { if (e.type === 'cost-record') recs.push(e); });
  let status, text;
  try { const r = await fetch(`http://detour.invalid/v1/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, stream: true, input: 'x', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }) }); status = r.status; text = await r.text(); } catch (e) { text = 'threw ' + e.message.slice(0, 80); }
  await new Promise((x) => setTimeout(x, 100));
  console.log(label.padEnd(55), 'status', status, JSON.stringify(recs.map((e) => ({ costUsd: e.costUsd, est: e.estimated, outcome: e.outcome, in: e.usage.inputTokens, cached: e.usage.cachedInputTokens, w5: e.usage.cacheWriteTokens, out: e.usage.outputTokens }))));
  await fetch.router.close?.();
}
console.log('expected responses usage cost', (200*1.25 + 800*0.125 + 500*10)/1e6, '; anthropic old-style', (100*3+1000*0.3+300*3.75+50*15)/1e6);
await up.close(); process.exit(0);
