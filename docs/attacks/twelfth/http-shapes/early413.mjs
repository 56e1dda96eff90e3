// Upstream answers 413 (or 400 / 200) as soon as it sees the headers, never reading an 8 MiB request body, then closes.
import { upstream, rawUpstream, endpoints, createFetch, OpenAI, backupOk, startGateway, hardTimeout } from './lib.mjs';
const t = hardTimeout(100000);
const size = Number(process.argv[3] ?? 8 * 1024 * 1024);
const err = JSON.stringify({ error: { message: 'Request too large for this endpoint (payload too large)', type: 'invalid_request_error', code: 'request_too_large' } });
const mk = (status, close) => { const f = (socket) => { socket.write(`HTTP/1.1 ${status} X\r\ncontent-type: application/json\r\ncontent-length: ${err.length}\r\n${close ? 'connection: close\r\n' : ''}\r\n${err}`); if (close) socket.end(); }; f.early = true; return f; };
const which = process.argv[2] ?? 'both';
for (const [name, h] of [['413 keep-open', mk(413, false)], ['413 then close', mk(413, true)], ['400 then close', mk(400, true)], ['401 then close', mk(401, true)]]) {
  for (const via of ['createFetch', 'gateway']) {
    if (which !== 'both' && which !== via) continue;
    const a = await rawUpstream('a', h); const b = await upstream('b', backupOk);
    let gw, client;
    if (via === 'gateway') { gw = await startGateway(endpoints(a, b), { maxBodyBytes: 64 * 1024 * 1024 }); client = new OpenAI({ apiKey: 'gk-test', baseURL: `${gw.url}/v1`, maxRetries: 0, timeout: 20000 }); }
    else client = new OpenAI({ apiKey: 'x', fetch: createFetch({ endpoints: endpoints(a, b) }), maxRetries: 0, timeout: 20000 });
    const t0 = Date.now();
    try {
      const { data, response } = await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x'.repeat(size) }] }).withResponse();
      console.log(via, name, '-> ok', response.status, 'ep', response.headers.get('x-detour-endpoint'), 'attempts', response.headers.get('x-detour-attempts'), 'a', a.log.length, 'b', b.log.length, `${Date.now() - t0}ms`);
    } catch (e) { console.log(via, name, '-> threw', e.constructor.name, e.status, String(e.message).slice(0, 140), 'x-detour-error', e.headers?.get?.('x-detour-error'), 'a', a.log.length, 'b', b.log.length, `${Date.now() - t0}ms`); }
    gw?.close(); a.close(); b.close();
  }
}
clearTimeout(t); process.exit(0);
