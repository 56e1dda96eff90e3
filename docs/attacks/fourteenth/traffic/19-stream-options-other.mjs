// A streamed chat completion whose caller set stream_options for another reason (`include_obfuscation: false`, a
// documented OpenAI option that saves bandwidth): Detour then does not ask for usage, and prices the stream by its
// estimate (one output token a chunk), which misses every hidden reasoning token. Compared with the same request
// without stream_options (usage injected and priced).
import { upstream, gateway, UPKEY, GK, show } from './lib.mjs';

const up = await upstream((req, buf, res) => {
  const b = JSON.parse(buf);
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const c = (rest) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'o3-2025-04-16', ...rest })}\n\n`;
  res.write(c({ choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }));
  for (const w of ['The', ' answer', ' is', ' 42', '.']) res.write(c({ choices: [{ index: 0, delta: { content: w }, finish_reason: null }] }));
  res.write(c({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }));
  if (b.stream_options?.include_usage) res.write(c({ choices: [], usage: { prompt_tokens: 100, completion_tokens: 20005, total_tokens: 20105, completion_tokens_details: { reasoning_tokens: 20000 } } }));
  res.end('data: [DONE]\n\n');
});
const gw = await gateway([{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }]);
for (const [label, extra] of [['no stream_options', {}], ['stream_options.include_obfuscation=false', { stream_options: { include_obfuscation: false } }]]) {
  const r = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${GK}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'o3', reasoning_effort: 'high', messages: [{ role: 'user', content: 'q' }], stream: true, ...extra }) });
  await r.text();
  await new Promise((r) => setTimeout(r, 50));
  show(label, `upstream got stream_options=${JSON.stringify(JSON.parse(up.seen.at(-1).body).stream_options)} logged cost=${gw.logs.at(-1).costUsd}`);
}
show('provider bill for 100 in / 20,005 out on o3', (100 * 2 + 20005 * 8) / 1e6);
await gw.close(0); await up.close();
