import { upstream, endpoints, createFetch, backupOk, hardTimeout } from './lib.mjs';
const t = hardTimeout(90000);
const codes = [103, 200, 202, 203, 206, 226, 300, 304, 305, 306, 399, 400, 408, 409, 413, 421, 425, 429, 451, 499, 500, 501, 502, 505, 520, 522, 524, 529, 598, 599, 600, 999];
for (const code of codes) {
  const a = await upstream('a', (q, s) => {
    if (code === 103) { s.writeEarlyHints?.({ link: '</x>; rel=preload' }); s.writeHead(200, { 'content-type': 'application/json' }); s.end(JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'A after 103' }, finish_reason: 'stop' }] })); return; }
    try { s.writeHead(code, { 'content-type': 'application/json' }); } catch (e) { s.socket.end(`HTTP/1.1 ${code} Weird\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}`); return; }
    s.end(code === 304 ? undefined : JSON.stringify({ error: { message: `upstream ${code}`, type: 'x' } }));
  });
  const b = await upstream('b', backupOk);
  const fetch = createFetch({ endpoints: endpoints(a, b) });
  const ctl = AbortSignal.timeout(15000);
  try {
    const r = await fetch('https://api.openai.com/v1/chat/completions', { signal: ctl, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) });
    const txt = await r.text();
    console.log(code, '-> status', r.status, 'ep', r.headers.get('x-detour-endpoint'), 'attempts', r.headers.get('x-detour-attempts'), 'err', r.headers.get('x-detour-error'), 'a', a.log.length, 'b', b.log.length, txt.slice(0, 70).replace(/\n/g, ' '));
  } catch (e) { console.log(code, '-> threw', e.name, e.message.slice(0, 100), 'a', a.log.length, 'b', b.log.length); }
  a.close(); b.close();
}
clearTimeout(t); process.exit(0);
