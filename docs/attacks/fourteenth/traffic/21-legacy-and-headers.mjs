// Legacy /v1/completions streamed (usage not asked): bytes direct vs gateway; and which tracing/attribution headers a
// caller sends reach the upstream through the gateway (OpenAI-Organization, OpenAI-Project, X-Client-Request-Id).
import { upstream, gateway, UPKEY, GK, show } from './lib.mjs';
const up = await upstream((req, buf, res) => {
  const b = JSON.parse(buf);
  const u = b.stream_options?.include_usage;
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const c = (rest) => `data: ${JSON.stringify({ id: 'cmpl-1', object: 'text_completion', created: 1, model: 'gpt-3.5-turbo-instruct', system_fingerprint: null, ...rest, ...(u && rest.usage === undefined ? { usage: null } : {}) })}\n\n`;
  for (const t of ['Hel', 'lo']) res.write(c({ choices: [{ text: t, index: 0, logprobs: null, finish_reason: null }] }));
  res.write(c({ choices: [{ text: '', index: 0, logprobs: null, finish_reason: 'length' }] }));
  if (u) res.write(c({ choices: [], usage: { prompt_tokens: 2, completion_tokens: 2, total_tokens: 4 } }));
  res.end('data: [DONE]\n\n');
});
const gw = await gateway([{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }]);
const body = JSON.stringify({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say', max_tokens: 2, stream: true });
const send = async (base, key, extraHeaders = {}) => (await fetch(`${base}/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...extraHeaders }, body })).text();
const d = await send(up.url, UPKEY);
const hdrs = { 'OpenAI-Organization': 'org-team', 'OpenAI-Project': 'proj_team', 'X-Client-Request-Id': '3f1c2e7a-0000-4000-8000-000000000001' };
const g = await send(`${gw.url}/v1`, GK, hdrs);
show('legacy stream identical', String(d === g));
if (d !== g) { show('direct', d); show('gateway', g); }
const h = up.seen.at(-1).headers;
show('upstream got via gateway', Object.fromEntries(Object.keys(hdrs).map((k) => [k, h[k.toLowerCase()] ?? '(dropped)'])));
await gw.close(0); await up.close();
