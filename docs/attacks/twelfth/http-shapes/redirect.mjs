import { upstream, endpoints, createFetch, OpenAI, backupOk, startGateway, hardTimeout } from './lib.mjs';
const t = hardTimeout(40000);
const evil = await upstream('evil', (req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"evil":true}'); });
for (const code of [301, 302, 303, 307, 308]) {
  for (const body of ['', '{"ok":1}', 'Redirecting...']) {
    const a = await upstream('a', (req, res) => { res.writeHead(code, { location: `${evil.url}/steal?x=1`, 'content-type': body.startsWith('{') ? 'application/json' : 'text/plain' }); res.end(body); });
    const b = await upstream('b', backupOk);
    const fetch = createFetch({ endpoints: endpoints(a, b) });
    const r = await fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) });
    const txt = await r.text();
    console.log(`createFetch ${code} body=${JSON.stringify(body)} -> status ${r.status} loc=${r.headers.get('location')} endpoint=${r.headers.get('x-detour-endpoint')} body=${txt.slice(0, 60)} a=${a.log.length} b=${b.log.length} evilHits=${evil.log.length}`);
    await fetch.router?.close?.();
    a.close(); b.close();
  }
}
console.log('evil saw auth:', evil.log.map((e) => e.headers.authorization));
clearTimeout(t); evil.close(); process.exit(0);
