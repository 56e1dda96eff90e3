import { upstream, rawUpstream, endpoints, createFetch, OpenAI, okChat, backupOk, startGateway, hardTimeout } from './lib.mjs';
const t = hardTimeout(100000);
const body = okChat.replace('hello from backup', 'from A');
const cases = {
  clTooLong: (s) => { s.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length + 50}\r\n\r\n${body}`); setTimeout(() => s.destroy(), 100); },
  http10close: (s) => { s.write(`HTTP/1.0 200 OK\r\ncontent-type: application/json\r\n\r\n${body}`); s.end(); },
  http11closeDelimited: (s) => { s.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n${body}`); s.end(); },
  headersThenClose: (s) => { s.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n`); setTimeout(() => s.destroy(), 100); },
  chunkedCutAtBoundary: (s) => { s.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n`); setTimeout(() => s.destroy(), 100); },
  chunkedTrailers: (s) => { s.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\ntrailer: x-usage\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\nx-usage: 5\r\n\r\n`); },
  twoContentTypes: (s) => { s.end(`HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`); },
  twoRetryAfter429: (s) => { const e = '{"error":{"message":"rl","type":"requests"}}'; s.end(`HTTP/1.1 429 Too Many\r\ncontent-type: application/json\r\nretry-after: 1\r\nretry-after: 99999\r\ncontent-length: ${e.length}\r\n\r\n${e}`); },
  header8k: (s) => { s.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-big: ${'a'.repeat(8192)}\r\ncontent-length: ${body.length}\r\n\r\n${body}`); },
  headers500: (s) => { let h = ''; for (let i = 0; i < 500; i++) h += `x-h${i}: v${i}\r\n`; s.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n${h}content-length: ${body.length}\r\n\r\n${body}`); },
  headerWithNul: (s) => { s.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-odd: a\x01b\r\ncontent-length: ${body.length}\r\n\r\n${body}`); },
  headerObsText: (s) => { s.end(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-odd: caf`), Buffer.from([0xe9]), Buffer.from(`\r\ncontent-length: ${body.length}\r\n\r\n${body}`)])); },
  teAndCl: (s) => { s.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`); },
  status200NoReason: (s) => { s.end(`HTTP/1.1 200\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`); },
};
const which = process.argv[2] ?? 'both';
for (const [name, h] of Object.entries(cases)) {
  for (const via of ['createFetch', 'gateway']) {
    if (which !== 'both' && which !== via) continue;
    const a = await rawUpstream('a', h); const b = await upstream('b', backupOk);
    let gw, client;
    if (via === 'gateway') { gw = await startGateway(endpoints(a, b)); client = new OpenAI({ apiKey: 'gk-test', baseURL: `${gw.url}/v1`, maxRetries: 0, timeout: 15000 }); }
    else client = new OpenAI({ apiKey: 'x', fetch: createFetch({ endpoints: endpoints(a, b) }), maxRetries: 0, timeout: 15000 });
    const t0 = Date.now();
    try {
      const { data, response } = await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
      console.log(via, name, '-> ok', response.status, JSON.stringify(data.choices?.[0]?.message?.content), 'ep', response.headers.get('x-detour-endpoint'), 'a', a.log.length, 'b', b.log.length, `${Date.now() - t0}ms`, name === 'header8k' ? 'x-big len ' + response.headers.get('x-big')?.length : '', name === 'headers500' ? 'x-h499=' + response.headers.get('x-h499') : '', name.startsWith('header') && name.includes('Nul') || name.includes('Obs') ? 'x-odd=' + JSON.stringify(response.headers.get('x-odd')) : '');
    } catch (e) { console.log(via, name, '-> threw', e.constructor.name, e.status, String(e.message).slice(0, 120), 'a', a.log.length, 'b', b.log.length, `${Date.now() - t0}ms`); }
    gw?.close(); a.close(); b.close();
  }
}
clearTimeout(t); process.exit(0);
