// A reasoning model streamed over Chat Completions: the provider answers 200 with its stream headers at once, then
// sends its first chunk only when reasoning is done (here after DELAY ms, default 62 s). Direct, the openai SDK
// (10-minute timeout) gets the answer. Through the gateway with its default config, each attempt is cut at
// firstByteTimeoutMs (60 s) and the request is sent again. Takes about 4-5 minutes with the default DELAY.
import OpenAI from 'openai';
import { upstream, gateway, UPKEY, GK, show } from './lib.mjs';

const DELAY = Number(process.argv[2] ?? 62_000);
const t0 = Date.now();
const at = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const up = await upstream((req, buf, res) => {
  const b = JSON.parse(buf);
  console.log(`[${at()}] upstream request #${up.seen.length} model=${b.model} stream=${b.stream}`);
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
  res.flushHeaders();
  const timer = setTimeout(() => {
    const c = (rest) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'o3', ...rest })}\n\n`;
    res.write(c({ choices: [{ index: 0, delta: { role: 'assistant', content: 'The answer' }, finish_reason: null }] }));
    res.write(c({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }));
    if (b.stream_options?.include_usage) res.write(c({ choices: [], usage: { prompt_tokens: 100, completion_tokens: 20000, total_tokens: 20100, completion_tokens_details: { reasoning_tokens: 19990 } } }));
    res.end('data: [DONE]\n\n');
  }, DELAY);
  res.on('close', () => clearTimeout(timer));
});
const gw = await gateway([{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }]);
const run = async (label, client) => {
  const start = up.seen.length;
  try {
    const s = await client.chat.completions.create({ model: 'o3', reasoning_effort: 'high', messages: [{ role: 'user', content: 'prove it' }], stream: true });
    let text = '';
    for await (const c of s) text += c.choices[0]?.delta?.content ?? '';
    show(`[${at()}] ${label}`, `text="${text}" upstream requests=${up.seen.length - start}`);
  } catch (e) {
    show(`[${at()}] ${label}`, `THROWS ${e.constructor.name} ${e.status} ${e.message.slice(0, 200)} upstream requests=${up.seen.length - start}`);
  }
};
await Promise.all([
  run('direct', new OpenAI({ apiKey: UPKEY, baseURL: up.url })),
  run('gateway', new OpenAI({ apiKey: GK, baseURL: `${gw.url}/v1` })),
]);
show('gateway access log', gw.logs);
await gw.close(0); await up.close();
