// Cut / failed / odd answers through createFetch (rescue off unless noted): what is priced?
import { upstream, sse, json, d, ev, watchdog, chatChunk, R } from './up.mjs';
const { createFetch } = await import(`${R}/packages/node/dist/index.js`);
const { default: OpenAI } = await import(`${R}/node_modules/.pnpm/openai@6.49.0_ws@8.18.0_zod@4.6.7/node_modules/openai/index.mjs`);
const { default: Anthropic } = await import(`${R}/node_modules/.pnpm/@anthropic-ai+sdk@1.15.0_zod@4.6.7/node_modules/@anthropic-ai/sdk/index.mjs`);
watchdog(30000);
let scenario = '';
const anthStart = { input_tokens: 2000, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 };
const up = await upstream(async (req, body, res, n) => {
  if (scenario === 'anth-cut') {
    const deltas = Array.from({ length: 200 }, () => ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'word ' } }));
    return sse(res, [ev('message_start', { type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', model: body.model, content: [], stop_reason: null, stop_sequence: null, usage: anthStart } }), ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }), ...deltas], { end: 'destroy' });
  }
  if (scenario === 'chat-cut') {
    return sse(res, Array.from({ length: 200 }, () => d(chatChunk('word '))), { end: 'destroy' });
  }
  if (scenario === 'json-nousage') return json(res, { id: 'c', object: 'chat.completion', model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: 'x'.repeat(4000) }, finish_reason: 'stop' }] });
  if (scenario === 'empty-stream') { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.end(); return; }
  if (scenario === 'fail-then-ok') {
    if (req.headers.authorization === 'Bearer k1') { res.writeHead(500, { 'content-type': 'application/json' }); return res.end('{"error":{"message":"boom"}}'); }
    return json(res, { id: 'c', object: 'chat.completion', model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1000, completion_tokens: 100 } });
  }
  if (scenario === 'cut-json-then-ok') {
    if (req.headers.authorization === 'Bearer k1') { res.writeHead(200, { 'content-type': 'application/json' }); res.write('{"id":"c","choices":[{"message":{"content":"' + 'y'.repeat(2000)); await new Promise((r) => setTimeout(r, 150)); return res.destroy(); }
    return json(res, { id: 'c', object: 'chat.completion', model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1000, completion_tokens: 100 } });
  }
});
const ep = (name, key, extra = {}) => ({ name, baseUrl: `${up.url}/v1`, apiKey: key, ...extra });
const tick = () => new Promise((r) => setTimeout(r, 100));
async function run(label, sc, opts, fn) {
  scenario = sc;
  const fetch = createFetch({ rescue: 'off', ...opts });
  const recs = [];
  fetch.router.subscribe((e) => { if (e.type === 'cost-record') recs.push(e); });
  let out;
  try { out = await fn(fetch); } catch (e) { out = 'threw ' + (e.constructor?.name) + ': ' + String(e.message).slice(0, 100); }
  await tick();
  console.log(`== ${label}\n   result: ${typeof out === 'string' ? out : JSON.stringify(out)}`);
  for (const e of recs) console.log('   cost-record', JSON.stringify({ ep: e.endpoint, model: e.model, costUsd: e.costUsd, est: e.estimated, outcome: e.outcome, in: e.usage.inputTokens, out: e.usage.outputTokens }));
  if (!recs.length) console.log('   (no cost-record)');
  await fetch.router.close?.();
}
const big = 'x'.repeat(8000);
await run('anthropic stream cut after 200 content_block_delta (message_start said output_tokens:1)', 'anth-cut', { endpoints: [ep('b', 'k', { provider: 'anthropic' })] }, async (fetch) => {
  const an = new Anthropic({ apiKey: 'x', baseURL: 'http://detour.invalid', fetch, maxRetries: 0 });
  const s = await an.messages.create({ model: 'claude-opus-4-1', max_tokens: 1000, messages: [{ role: 'user', content: big }], stream: true });
  let n = 0; try { for await (const e of s) if (e.type === 'content_block_delta') n++; } catch (e) { return `caller got ${n} deltas then ${e.constructor.name}`; } return `caller got ${n} deltas, clean end`;
});
console.log('   reference: opus-4-1 2000 in + 200 out =', (2000*15 + 200*75)/1e6, '; with output_tokens=1:', (2000*15+1*75)/1e6);
await run('chat stream cut after 200 chunks (no usage)', 'chat-cut', { endpoints: [ep('a', 'k')] }, async (fetch) => {
  const oa = new OpenAI({ apiKey: 'x', baseURL: 'http://detour.invalid/v1', fetch, maxRetries: 0 });
  const s = await oa.chat.completions.create({ model: 'claude-opus-4-1', messages: [{ role: 'user', content: big }], stream: true });
  let n = 0; try { for await (const c of s) n++; } catch (e) { return `caller got ${n} chunks then ${e.constructor.name}`; } return `caller got ${n} chunks, clean end`;
});
await run('JSON chat answer 200 with no usage object', 'json-nousage', { endpoints: [ep('a', 'k')] }, async (fetch) => {
  const r = await fetch('http://detour.invalid/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: big }] }) });
  await r.text(); return { status: r.status, cost: r.headers.get('x-detour-cost-usd') };
});
await run('200 text/event-stream that closes with no event, on both endpoints', 'empty-stream', { endpoints: [ep('a', 'k1'), ep('b', 'k2', { priority: 1 })] }, async (fetch) => {
  const r = await fetch('http://detour.invalid/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: big }] }) });
  await r.text(); return { status: r.status, cost: r.headers.get('x-detour-cost-usd') };
});
await run('HTTP 500 on a then success on b', 'fail-then-ok', { endpoints: [ep('a', 'k1'), ep('b', 'k2', { priority: 1 })] }, async (fetch) => {
  const r = await fetch('http://detour.invalid/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) });
  await r.text(); return { status: r.status, cost: r.headers.get('x-detour-cost-usd'), attempts: r.headers.get('x-detour-attempts'), expected: (1000*2 + 100*8)/1e6 };
});
await run('JSON cut mid-body on a then success on b', 'cut-json-then-ok', { endpoints: [ep('a', 'k1'), ep('b', 'k2', { priority: 1 })] }, async (fetch) => {
  const r = await fetch('http://detour.invalid/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) });
  await r.text(); return { status: r.status, cost: r.headers.get('x-detour-cost-usd'), attempts: r.headers.get('x-detour-attempts') };
});
await up.close(); process.exit(0);
