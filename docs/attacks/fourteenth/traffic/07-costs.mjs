// x-detour-cost-usd / access log cost against hand-computed list prices for usage shapes providers send.
import { upstream, gateway, json, sse, UPKEY, GK, show } from './lib.mjs';

let answer;
const up = await upstream((req, buf, res) => answer(req, JSON.parse(buf || '{}'), res));
const gw = await gateway([
  { name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' },
  { name: 'an', baseUrl: up.url, apiKey: UPKEY, provider: 'anthropic' },
]);
const call = async (path, body, headers = {}) => {
  const r = await fetch(`${gw.url}/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${GK}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  await r.text();
  await new Promise((r) => setTimeout(r, 30));
  return { header: r.headers.get('x-detour-cost-usd'), log: gw.logs.at(-1)?.costUsd };
};
const M = 1e6;
const cases = [
  ['chat gpt-4.1 cached 800/1000 out 100', '/chat/completions', { model: 'gpt-4.1', messages: [] },
    { id: 'c', object: 'chat.completion', created: 1, model: 'gpt-4.1', choices: [{ index: 0, message: { role: 'assistant', content: 'x' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100, prompt_tokens_details: { cached_tokens: 800, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } } },
    (200 * 2 + 800 * 0.5 + 100 * 8) / M],
  ['chat o3 reasoning 900 of out 1000', '/chat/completions', { model: 'o3', messages: [], reasoning_effort: 'high' },
    { id: 'c', object: 'chat.completion', created: 1, model: 'o3-2025-04-16', choices: [{ index: 0, message: { role: 'assistant', content: 'x' }, finish_reason: 'stop' }], usage: { prompt_tokens: 100, completion_tokens: 1000, total_tokens: 1100, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 900 } } },
    (100 * 2 + 1000 * 8) / M],
  ['chat n=3 gpt-4.1-mini', '/chat/completions', { model: 'gpt-4.1-mini', messages: [], n: 3 },
    { id: 'c', object: 'chat.completion', created: 1, model: 'gpt-4.1-mini', choices: [0, 1, 2].map((i) => ({ index: i, message: { role: 'assistant', content: 'x' }, finish_reason: 'stop' })), usage: { prompt_tokens: 50, completion_tokens: 300, total_tokens: 350 } },
    (50 * 0.4 + 300 * 1.6) / M],
  ['embeddings 3-small 1000 tokens', '/embeddings', { model: 'text-embedding-3-small', input: ['a', 'b'], encoding_format: 'base64' },
    { object: 'list', model: 'text-embedding-3-small', data: [{ object: 'embedding', index: 0, embedding: 'AACAPg==' }, { object: 'embedding', index: 1, embedding: 'AACAPg==' }], usage: { prompt_tokens: 1000, total_tokens: 1000 } },
    (1000 * 0.02) / M],
  ['responses gpt-4.1 cached 800/1000 out 100 reasoning 0', '/responses', { model: 'gpt-4.1', input: 'x' },
    { id: 'resp_1', object: 'response', status: 'completed', model: 'gpt-4.1', output: [], usage: { input_tokens: 1000, input_tokens_details: { cached_tokens: 800 }, output_tokens: 100, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 1100 } },
    (200 * 2 + 800 * 0.5 + 100 * 8) / M],
  ['messages sonnet-4-5 in 100 read 1000 write5m 200 write1h 300 out 50', '/messages', { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [] },
    { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'text', text: 'x' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 100, cache_read_input_tokens: 1000, cache_creation_input_tokens: 500, cache_creation: { ephemeral_5m_input_tokens: 200, ephemeral_1h_input_tokens: 300 }, output_tokens: 50, service_tier: 'standard' } },
    (100 * 3 + 1000 * 0.3 + 200 * 3.75 + 300 * 6 + 50 * 15) / M],
];
for (const [label, path, body, reply, expected] of cases) {
  answer = (req, b, res) => json(res, 200, reply);
  const got = await call(path, body, path === '/messages' ? { 'anthropic-version': '2023-06-01' } : {});
  show(label, `header=${got.header} log=${got.log} expected=${expected.toFixed(8)} ${Math.abs(Number(got.header ?? got.log) - expected) < 1e-12 ? 'OK' : 'MISMATCH'}`);
}
await gw.close(0); await up.close();
