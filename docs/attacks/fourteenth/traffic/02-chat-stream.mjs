// Streamed chat completions, byte for byte: n=2 with logprobs, parallel tool calls, include_usage asked / not asked /
// explicitly false. The upstream behaves as OpenAI does: usage:null on every chunk and a last choices:[] chunk only
// when include_usage is true.
import OpenAI from 'openai';
import { upstream, gateway, UPKEY, GK, show } from './lib.mjs';

const chunk = (withUsage, rest) => ({ id: 'chatcmpl-9', object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1-2025', system_fingerprint: 'fp_1', service_tier: 'default', ...rest, ...(withUsage ? { usage: null } : {}) });
const up = await upstream((req, buf, res) => {
  const body = JSON.parse(buf);
  const withUsage = body.stream_options?.include_usage === true;
  const ev = [];
  const n = body.n ?? 1;
  for (let i = 0; i < n; i++) ev.push(chunk(withUsage, { choices: [{ index: i, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }] }));
  if (body.tools) {
    ev.push(chunk(withUsage, { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'f', arguments: '' } }] }, logprobs: null, finish_reason: null }] }));
    ev.push(chunk(withUsage, { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"x":' } }] }, logprobs: null, finish_reason: null }] }));
    ev.push(chunk(withUsage, { choices: [{ index: 0, delta: { tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'g', arguments: '' } }] }, logprobs: null, finish_reason: null }] }));
    ev.push(chunk(withUsage, { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '1}' } }] }, logprobs: null, finish_reason: null }] }));
    ev.push(chunk(withUsage, { choices: [{ index: 0, delta: { tool_calls: [{ index: 1, function: { arguments: '{}' } }] }, logprobs: null, finish_reason: null }] }));
    ev.push(chunk(withUsage, { choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'tool_calls' }] }));
  } else {
    for (let i = 0; i < n; i++) {
      ev.push(chunk(withUsage, { choices: [{ index: i, delta: { content: `Hé${i}` }, logprobs: body.logprobs ? { content: [{ token: `Hé${i}`, logprob: -0.1, bytes: [72, 195, 169], top_logprobs: [{ token: 'x', logprob: -2, bytes: [120] }] }], refusal: null } : null, finish_reason: null }] }));
    }
    for (let i = 0; i < n; i++) ev.push(chunk(withUsage, { choices: [{ index: i, delta: {}, logprobs: null, finish_reason: 'stop' }] }));
  }
  if (withUsage) ev.push(chunk(false, { choices: [], usage: { prompt_tokens: 20, completion_tokens: 8, total_tokens: 28, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } } }));
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'x-request-id': 'req_s' });
  for (const e of ev) res.write(`data: ${JSON.stringify(e)}\n\n`);
  res.end('data: [DONE]\n\n');
});
const gw = await gateway([{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }]);
const raw = async (base, key, body) => {
  const r = await fetch(`${base}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { text: await r.text(), upstreamBody: up.seen.at(-1).body, headers: Object.fromEntries(r.headers) };
};
const cases = {
  plain: { stream: true },
  n2_logprobs: { stream: true, n: 2, logprobs: true, top_logprobs: 1 },
  tools_parallel: { stream: true, tools: [{ type: 'function', function: { name: 'f', parameters: {} } }, { type: 'function', function: { name: 'g', parameters: {} } }], parallel_tool_calls: true },
  usage_asked: { stream: true, stream_options: { include_usage: true } },
  usage_false: { stream: true, stream_options: { include_usage: false } },
  n2_usage_asked: { stream: true, n: 2, stream_options: { include_usage: true } },
};
for (const [name, extra] of Object.entries(cases)) {
  const body = { model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], ...extra };
  const d = await raw(up.url, UPKEY, body);
  const g = await raw(`${gw.url}/v1`, GK, body);
  const same = d.text === g.text;
  show(`${name}: identical bytes`, String(same));
  if (!same) {
    show(`  upstream body direct `, d.upstreamBody);
    show(`  upstream body gateway`, g.upstreamBody);
    const dl = d.text.split('\n\n'); const gl = g.text.split('\n\n');
    show('  direct events', dl.length); show('  gateway events', gl.length);
    for (let i = 0; i < Math.max(dl.length, gl.length); i++) if (dl[i] !== gl[i]) { show(`  first diff at ${i} direct`, dl[i]); show(`  first diff at ${i} gateway`, gl[i]); break; }
  }
  show(`  gateway cost header / log`, `${g.headers['x-detour-cost-usd']} / ${JSON.stringify(gw.logs.at(-1)?.costUsd)}`);
}
// The SDK's view, via the gateway: n=2 accumulation and parallel tools.
const client = new OpenAI({ apiKey: GK, baseURL: `${gw.url}/v1` });
const s = client.chat.completions.stream({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], ...cases.tools_parallel, stream: undefined, parallel_tool_calls: true });
const final = await s.finalChatCompletion();
show('SDK tools via gateway', final.choices[0].message.tool_calls.map((t) => `${t.id}:${t.function.name}(${t.function.arguments})`));
const s2 = client.chat.completions.stream({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], n: 2, stream_options: { include_usage: true } });
const f2 = await s2.finalChatCompletion();
show('SDK n=2 via gateway', f2.choices.map((c) => c.message.content));
show('SDK n=2 usage', f2.usage);
await gw.close(0); await up.close();
