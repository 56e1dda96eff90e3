// Hostile usage values from an upstream, through createFetch: header and cost-record. Plus custom rows with '/'.
import { upstream, sse, json, d, ev, watchdog, chatChunk, R } from './up.mjs';
const { createFetch } = await import(`${R}/packages/node/dist/index.js`);
watchdog(30000);
let usage;
const up = await upstream(async (req, body, res) => {
  if (req.url.endsWith('/messages')) return json(res, { id: 'm', type: 'message', role: 'assistant', model: body.model, content: [{ type: 'text', text: 'x' }], stop_reason: 'end_turn', usage });
  if (usage === 'DEEP') { res.writeHead(200, { 'content-type': 'application/json' }); return res.end('{"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":"x"},"finish_reason":"stop"}],"usage":' + '['.repeat(200000) + ']'.repeat(200000) + '}'); }
  return json(res, { id: 'c', object: 'chat.completion', model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: 'x' }, finish_reason: 'stop' }], usage });
});
const fetch = createFetch({ endpoints: [{ name: 'a', baseUrl: `${up.url}/v1`, apiKey: 'k' }, { name: 'anth', provider: 'anthropic', baseUrl: `${up.url}/v1`, apiKey: 'k' }],
  prices: [{ model: 'azure/gpt-4.1', inputPerMTok: 99, outputPerMTok: 99 }, { model: 'anthropic/claude-sonnet-4.5', inputPerMTok: 3, outputPerMTok: 15 }, { model: 'huge', inputPerMTok: 1e308, outputPerMTok: 1e308 }] });
const recs = []; fetch.router.subscribe((e) => { if (e.type === 'cost-record') recs.push(e); });
const call = async (label, model, u, path = 'chat/completions') => {
  usage = u; recs.length = 0;
  const body = path === 'messages' ? { model, max_tokens: 5, messages: [{ role: 'user', content: 'x' }] } : { model, messages: [{ role: 'user', content: 'x' }] };
  const r = await fetch(`http://detour.invalid/v1/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify(body) });
  await r.text(); await new Promise((x) => setTimeout(x, 30));
  console.log(label.padEnd(46), 'status', r.status, 'header', r.headers.get('x-detour-cost-usd'), 'records', JSON.stringify(recs.map((e) => [e.costUsd, e.usage.inputTokens, e.usage.outputTokens])));
};
await call('negative', 'gpt-4.1', { prompt_tokens: -5e6, completion_tokens: -1 });
await call('string numbers', 'gpt-4.1', { prompt_tokens: '1000', completion_tokens: '1e308' });
await call('1e308', 'gpt-4.1', { prompt_tokens: 1e308, completion_tokens: 1e308 });
await call('usage is a string', 'gpt-4.1', 'lots');
await call('usage huge nested', 'gpt-4.1', { prompt_tokens: 10, completion_tokens: 10, x: JSON.parse('['.repeat(5000) + ']'.repeat(5000)) });
await call('usage 200k-deep arrays', 'gpt-4.1', 'DEEP');
await call('anthropic every field at 1e9 (cap), opus-4-1', 'claude-opus-4-1', { input_tokens: 1e9, cache_read_input_tokens: 1e9, cache_creation_input_tokens: 1e9, cache_creation: { ephemeral_5m_input_tokens: 1e9, ephemeral_1h_input_tokens: 1e9 }, output_tokens: 1e9 }, 'messages');
await call('custom row "azure/gpt-4.1" ($99/$99) model azure/gpt-4.1', 'azure/gpt-4.1', { prompt_tokens: 1000, completion_tokens: 1000 });
console.log('   expected with the custom row: ', (1000*99+1000*99)/1e6, '; built-in gpt-4.1:', (1000*2+1000*8)/1e6);
await call('custom row "anthropic/claude-sonnet-4.5"', 'anthropic/claude-sonnet-4.5', { prompt_tokens: 1000, completion_tokens: 1000 });
console.log('   expected with the custom row: ', (1000*3+1000*15)/1e6);
await call('custom row "huge" 1e308/MTok, 1e9 tokens', 'huge', { prompt_tokens: 1e9, completion_tokens: 1e9 });
await fetch.router.close?.(); await up.close(); process.exit(0);
