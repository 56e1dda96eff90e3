// Valid SSE framings per the WHATWG spec (CRLF, CR-only line ends, a leading BOM, "data:" without a space, an
// "id:"/"retry:" field) from the only endpoint: does Detour serve them, and does the SDK read all the text?
import { upstream, endpoints, createFetch, OpenAI, hardTimeout } from './lib.mjs';
const t = hardTimeout(90000);
const ev = (c, fin) => `{"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":${c ? `{"content":"${c}"}` : '{}'},"finish_reason":${fin ? '"stop"' : 'null'}}]}`;
const build = (nl, prefix = 'data: ', bom = '') => `${bom}${prefix}${ev('Hel')}${nl}${nl}${prefix}${ev('lo')}${nl}${nl}${prefix}${ev('', true)}${nl}${nl}${prefix}[DONE]${nl}${nl}`;
const cases = { LF: build('\n'), CRLF: build('\r\n'), CR: build('\r'), BOM: build('\n', 'data: ', '\ufeff'), noSpace: build('\n', 'data:'), idRetry: `retry: 1000\nid: 7\n${build('\n')}`, splitEachByte: build('\n') };
for (const [name, payload] of Object.entries(cases)) {
  const a = await upstream('a', async (q, s) => {
    s.writeHead(200, { 'content-type': 'text/event-stream' });
    if (name === 'splitEachByte') { for (const ch of payload) { s.write(ch); await new Promise((r) => setImmediate(r)); } s.end(); }
    else s.end(payload);
  });
  const client = new OpenAI({ apiKey: 'x', fetch: createFetch({ endpoints: endpoints(a), rescue: 'off' }), maxRetries: 0, timeout: 20000 });
  const direct = new OpenAI({ apiKey: 'x', baseURL: `${a.url}/v1`, maxRetries: 0, timeout: 20000 });
  for (const [via, c] of [['detour', client], ['direct', direct]]) {
    const n0 = a.log.length;
    try {
      const st = await c.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], stream: true });
      let txt = ''; for await (const e of st) txt += e.choices[0]?.delta?.content ?? '';
      console.log(name, via, '-> text', JSON.stringify(txt), 'upstream hits', a.log.length - n0);
    } catch (e) { console.log(name, via, '-> threw', e.constructor.name, e.status ?? '', String(e.message).slice(0, 120), 'upstream hits', a.log.length - n0); }
  }
  a.close();
}
clearTimeout(t); process.exit(0);
