// One endpoint that always answers a status above 599 with an OpenAI-shaped error body. After Detour's retries the
// upstream's answer is relayed as the last word: what does the caller get?
import { rawUpstream, endpoints, createFetch, OpenAI, startGateway, hardTimeout } from './lib.mjs';
const t = hardTimeout(90000);
const which = process.argv[2] ?? 'both';
for (const code of [600, 700, 999]) {
  const err = JSON.stringify({ error: { message: `odd ${code}`, type: 'server_error' } });
  const a = await rawUpstream('a', (s) => s.end(`HTTP/1.1 ${code} Odd\r\ncontent-type: application/json\r\ncontent-length: ${err.length}\r\nconnection: close\r\n\r\n${err}`));
  for (const via of ['createFetch-raw', 'createFetch-sdk', 'gateway-raw']) {
    if (which !== 'both' && !via.startsWith(which)) continue;
    const n0 = a.log.length; const t0 = Date.now();
    let gw;
    try {
      if (via === 'gateway-raw') {
        gw = await startGateway(endpoints(a));
        const r = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer gk-test', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }), signal: AbortSignal.timeout(20000) });
        console.log(code, via, '-> status', r.status, 'x-detour-error', r.headers.get('x-detour-error'), (await r.text()).slice(0, 120));
      } else if (via === 'createFetch-raw') {
        const f = createFetch({ endpoints: endpoints(a) });
        const r = await f('https://api.openai.com/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) });
        console.log(code, via, '-> status', r.status, 'x-detour-error', r.headers.get('x-detour-error'), (await r.text()).slice(0, 120));
      } else {
        const client = new OpenAI({ apiKey: 'x', fetch: createFetch({ endpoints: endpoints(a) }), timeout: 20000 });
        await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] });
        console.log(code, via, '-> ok?!');
      }
    } catch (e) { console.log(code, via, '-> threw', e.constructor.name, e.status ?? '', String(e.message).slice(0, 140), '| cause:', String(e.cause?.message ?? e.cause ?? '').slice(0, 100)); }
    console.log('   upstream attempts:', a.log.length - n0, `${Date.now() - t0}ms`);
    gw?.close();
  }
  a.close();
}
clearTimeout(t); process.exit(0);
