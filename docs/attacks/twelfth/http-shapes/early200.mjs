// The upstream answers 200 + a full JSON completion as soon as it has the headers, never reading a 4 MiB body.
import { rawUpstream, upstream, endpoints, createFetch, OpenAI, okChat, backupOk, hardTimeout } from './lib.mjs';
const t = hardTimeout(60000);
const body = okChat.replace('hello from backup', 'from A');
for (const close of [false, true]) {
  const h = (s) => { s.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n${close ? 'connection: close\r\n' : ''}\r\n${body}`); if (close) s.end(); };
  h.early = true;
  const a = await rawUpstream('a', h); const b = await upstream('b', backupOk);
  const client = new OpenAI({ apiKey: 'x', fetch: createFetch({ endpoints: endpoints(a, b) }), maxRetries: 0, timeout: 20000 });
  try {
    const { data, response } = await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x'.repeat(4 << 20) }] }).withResponse();
    console.log('close', close, '-> ok', JSON.stringify(data.choices[0].message.content), 'attempts', response.headers.get('x-detour-attempts'), 'a', a.log.length, 'b', b.log.length);
  } catch (e) { console.log('close', close, '-> threw', e.constructor.name, e.status, String(e.message).slice(0, 140), 'a', a.log.length, 'b', b.log.length); }
  a.close(); b.close();
}
clearTimeout(t); process.exit(0);
