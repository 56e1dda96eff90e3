// The only endpoint streams a valid SSE answer labelled "Text/Event-Stream" (media types are case-insensitive,
// RFC 9110 §8.3.1). Compared with the openai SDK talking to it directly.
import { upstream, endpoints, createFetch, OpenAI, hardTimeout } from './lib.mjs';
const t = hardTimeout(60000);
const ev = (c, fin) => `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":${c ? `{"content":"${c}"}` : '{}'},"finish_reason":${fin ? '"stop"' : 'null'}}]}\n\n`;
for (const ctype of ['text/event-stream', 'Text/Event-Stream', 'TEXT/EVENT-STREAM; charset=utf-8']) {
  const a = await upstream('a', (q, s) => { s.writeHead(200, { 'content-type': ctype }); s.end(ev('Hel') + ev('lo') + ev('', true) + 'data: [DONE]\n\n'); });
  for (const [via, c] of [['detour', new OpenAI({ apiKey: 'x', fetch: createFetch({ endpoints: endpoints(a) }), maxRetries: 0, timeout: 20000 })], ['direct', new OpenAI({ apiKey: 'x', baseURL: `${a.url}/v1`, maxRetries: 0, timeout: 20000 })]]) {
    const n0 = a.log.length;
    try {
      const st = await c.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], stream: true });
      let txt = ''; for await (const e of st) txt += e.choices[0]?.delta?.content ?? '';
      console.log(JSON.stringify(ctype), via, '-> text', JSON.stringify(txt), 'upstream hits', a.log.length - n0);
    } catch (e) { console.log(JSON.stringify(ctype), via, '-> threw', e.constructor.name, e.status ?? '', String(e.message).slice(0, 140), 'upstream hits', a.log.length - n0); }
  }
  a.close();
}
clearTimeout(t); process.exit(0);
