// A streamed chat request the caller sent WITHOUT stream_options, to an endpoint declared provider "mistral", at the
// gateway's default streamUsage ("inject"). The upstream stands in for api.mistral.ai, whose pydantic schema forbids
// extra fields: public report (dnakov/anon-kode#53, 2025-03-14) shows its exact 422 for stream_options.include_usage.
import OpenAI from 'openai';
import { upstream, gateway, GW_KEY, hardStop } from './lib.mjs';
hardStop(60000);
const quiet = { error() {}, warn() {}, info() {}, debug() {} };
// Mistral's chat request fields (docs.mistral.ai chat completion schema; stream_options is not among them).
const allowed = new Set(['model', 'messages', 'temperature', 'top_p', 'max_tokens', 'stream', 'stop', 'random_seed', 'response_format', 'tools', 'tool_choice', 'presence_penalty', 'frequency_penalty', 'n', 'prediction', 'parallel_tool_calls', 'safe_prompt']);
const up = await upstream((req, res, body) => {
  const json = JSON.parse(body);
  const extra = Object.keys(json).filter((k) => !allowed.has(k));
  if (extra.length) {
    res.writeHead(422, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ object: 'error', message: { detail: extra.map((k) => ({ type: 'extra_forbidden', loc: ['body', k, ...(k === 'stream_options' ? ['include_usage'] : [])], msg: 'Extra inputs are not permitted', input: json[k]?.include_usage ?? json[k] })) }, type: 'invalid_request_error', param: null, code: null }));
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const c = (d, f = null, u) => `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'mistral-small-latest', choices: [{ index: 0, delta: d, finish_reason: f }], ...(u ? { usage: u } : {}) })}\n\n`;
  res.end(c({ role: 'assistant', content: 'Bonjour' }) + c({ content: '' }, 'stop', { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 }) + 'data: [DONE]\n\n');
});
const gw = await gateway({ endpoints: [{ name: 'mistral', provider: 'mistral', baseUrl: `${up.url}/v1`, apiKey: 'mistral-key-AbCdEf0123456789' }] });
const ask = async (label, client) => {
  let t = '';
  try {
    const s = await client.chat.completions.create({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'hi' }], stream: true });
    for await (const x of s) t += x.choices?.[0]?.delta?.content ?? '';
    console.log(label, 'ok', JSON.stringify(t));
  } catch (e) { console.log(label, 'ERROR', e.status, String(e.message).slice(0, 300)); }
};
await ask('direct ', new OpenAI({ baseURL: `${up.url}/v1`, apiKey: 'x', maxRetries: 0, logger: quiet }));
await ask('gateway', new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: GW_KEY, maxRetries: 0, logger: quiet }));
console.log('bodies the upstream received:');
for (const r of up.requests) console.log('  ', r.body);
await gw.stop(); await up.close(); process.exit(0);
