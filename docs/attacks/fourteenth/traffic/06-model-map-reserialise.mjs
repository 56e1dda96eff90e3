// An endpoint that calls the model by another name (`models: { "gpt-4.1": "openai/gpt-4.1" }`, the README's OpenRouter
// example): the body is re-serialised with JSON.stringify, so integers past 2^53 (a Python client's int64 `seed`,
// which OpenAI accepts up to 2^63-1) are rounded. The same request to an endpoint without a rename passes byte for byte.
import { upstream, gateway, createFetch, json, UPKEY, GK, show } from './lib.mjs';

const up = await upstream((req, buf, res) => json(res, 200, { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
// What Python's openai client sends for seed=2**63-1 and an int64 user id in metadata-free fields.
const bodyText = '{"model":"gpt-4.1","messages":[{"role":"user","content":"hi"}],"seed":9223372036854775807,"logit_bias":{"50256":-100},"max_completion_tokens":9007199254740993}';
for (const [label, models] of [['no rename', ['gpt-4.1']], ['rename', { 'gpt-4.1': 'openai/gpt-4.1' }]]) {
  const gw = await gateway([{ name: 'or', baseUrl: up.url, apiKey: UPKEY, provider: 'openrouter', models }]);
  const r = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${GK}`, 'content-type': 'application/json' }, body: bodyText });
  await r.text();
  show(`gateway ${label}: upstream got`, up.seen.at(-1).body);
  await gw.close(0);
  const f = createFetch({ endpoints: [{ name: 'or', baseUrl: up.url, apiKey: UPKEY, provider: 'openrouter', models }] });
  await (await f('https://api.openai.com/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodyText })).text();
  show(`createFetch ${label}: upstream got`, up.seen.at(-1).body);
  await f.router.close();
}
await up.close();
