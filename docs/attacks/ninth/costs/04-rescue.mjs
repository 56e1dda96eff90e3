// Rescue accounting: chat stream cut on a, rescued by b (continue via mistral dialect, or replay). Anthropic cut + continue.
import { upstream, sse, json, d, ev, watchdog, chatChunk, R } from './up.mjs';
const { createFetch } = await import(`${R}/packages/node/dist/index.js`);
const { default: OpenAI } = await import(`${R}/node_modules/.pnpm/openai@6.49.0_ws@8.18.0_zod@4.6.7/node_modules/openai/index.mjs`);
const { default: Anthropic } = await import(`${R}/node_modules/.pnpm/@anthropic-ai+sdk@1.15.0_zod@4.6.7/node_modules/@anthropic-ai/sdk/index.mjs`);
watchdog(30000);
const words = Array.from({ length: 60 }, (_, i) => `w${i} `);
const up = await upstream(async (req, body, res) => {
  const primary = (req.headers.authorization ?? req.headers['x-api-key'] ?? '').includes('k1');
  if (req.url.endsWith('/messages')) {
    const start = (u) => ev('message_start', { type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', model: body.model, content: [], stop_reason: null, stop_sequence: null, usage: u } });
    const cbs = ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    const delta = (t) => ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: t } });
    if (primary) return sse(res, [start({ input_tokens: 1000, output_tokens: 1 }), cbs, ...words.slice(0, 20).map(delta)], { end: 'destroy' });
    // continuation: the prompt now holds the delivered prefix as an assistant prefill
    const last = body.messages.at(-1);
    const prefill = last.role === 'assistant' ? (typeof last.content === 'string' ? last.content : last.content.map((c) => c.text).join('')) : '';
    const rest = words.join('').slice(prefill.length);
    globalThis.anthPrefill = prefill.length;
    return sse(res, [start({ input_tokens: 1020, output_tokens: 1 }), cbs, delta(rest), ev('content_block_stop', { type: 'content_block_stop', index: 0 }), ev('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { input_tokens: 1020, output_tokens: 40 } }), ev('message_stop', { type: 'message_stop' })]);
  }
  if (primary) return sse(res, words.slice(0, 20).map((w) => d(chatChunk(w, { usage: null }))), { end: 'destroy' });
  const last = body.messages.at(-1);
  const prefix = last.role === 'assistant' ? last.content : '';
  globalThis.chatPrefix = prefix.length; globalThis.chatBody = body;
  const rest = words.join('').slice(prefix.length);
  const usage = prefix ? { prompt_tokens: 1020, completion_tokens: 40, total_tokens: 1060 } : { prompt_tokens: 1000, completion_tokens: 60, total_tokens: 1060 };
  return sse(res, [d(chatChunk(rest, { usage: null })), d({ ...chatChunk(''), choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: null }), ...(body.stream_options?.include_usage ? [d({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage })] : []), 'data: [DONE]\n\n']);
});
const tick = () => new Promise((r) => setTimeout(r, 150));
async function run(label, endpoints, fn, extra = {}) {
  const fetch = createFetch({ endpoints, streamUsage: 'inject', retryBudget: { ratio: 1 }, ...extra });
  const recs = [], other = [];
  fetch.router.subscribe((e) => { if (e.type === 'cost-record') recs.push(e); if (e.type === 'stream-rescue') other.push(e); });
  let out; try { out = await fn(fetch); } catch (e) { out = 'threw ' + e.message.slice(0, 120); }
  await tick();
  console.log(`== ${label}\n   result: ${JSON.stringify(out)}`);
  for (const e of other) console.log('   rescue', JSON.stringify({ mode: e.mode, outcome: e.outcome }));
  let total = 0;
  for (const e of recs) { total += e.costUsd ?? 0; console.log('   cost-record', JSON.stringify({ ep: e.endpoint, costUsd: e.costUsd, est: e.estimated, outcome: e.outcome, in: e.usage.inputTokens, out: e.usage.outputTokens })); }
  console.log('   total of cost-records', total);
  await fetch.router.close?.();
}
const ep = (name, key, extra = {}) => ({ name, baseUrl: `${up.url}/v1`, apiKey: key, ...extra });
const chat = async (fetch) => {
  const oa = new OpenAI({ apiKey: 'x', baseURL: 'http://detour.invalid/v1', fetch, maxRetries: 0 });
  const s = await oa.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'count' }], stream: true, stream_options: { include_usage: true } });
  let text = '', usage; for await (const c of s) { text += c.choices[0]?.delta?.content ?? ''; if (c.usage) usage = c.usage; }
  return { whole: text === words.join(''), usageToCaller: usage, prefixSent: globalThis.chatPrefix };
};
await run('chat cut at 20/60, rescued by CONTINUE on b (mistral dialect). b bills 1020 in (prompt+prefix) / 40 out', [ep('a', 'k1'), ep('b', 'k2', { priority: 1, continuation: 'mistral' })], chat);
console.log('   provider-billed for b: 1020*2+40*8 =', (1020*2+40*8)/1e6);
await run('chat cut at 20/60, rescued by REPLAY on b. b bills 1000 in / 60 out', [ep('a', 'k1'), ep('b', 'k2', { priority: 1 })], chat);
console.log('   provider-billed for b:', (1000*2+60*8)/1e6);
await run('anthropic cut at 20 deltas, rescued by continue on b (prefill). b bills 1020 in / 40 out', [ep('a', 'k1', { provider: 'anthropic' }), ep('b', 'k2', { provider: 'anthropic', priority: 1, continuation: 'anthropic' })], async (fetch) => {
  const an = new Anthropic({ apiKey: 'x', baseURL: 'http://detour.invalid', fetch, maxRetries: 0 });
  const s = await an.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1000, messages: [{ role: 'user', content: 'count' }], stream: true });
  let text = '', usage; for await (const e of s) { if (e.type === 'content_block_delta') text += e.delta.text; if (e.type === 'message_delta') usage = e.usage; }
  return { whole: text === words.join(''), finalUsageToCaller: usage, prefill: globalThis.anthPrefill };
});
console.log('   provider-billed: a: 1000 in + >=20 out =', (1000*3+20*15)/1e6, '; b:', (1020*3+40*15)/1e6);
await up.close(); process.exit(0);
