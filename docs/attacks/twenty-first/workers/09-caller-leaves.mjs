// The caller leaves (abort at 1 s) a never-ending stream and a slow (20 s) non-stream answer, through the Workers
// gateway with and without the enable_request_signal compatibility flag (wrangler.toml sets it; a team's own
// config may not). When does the upstream connection close?
import http from 'node:http';
import { gatewayInWorkerd, gatewayInNode, watchdog } from './lib.mjs';
watchdog(150000);
const closes = [];
const up = http.createServer((req, res) => {
  let b = ''; req.on('data', (c) => { b += c; }); req.on('end', () => {
    const stream = JSON.parse(b).stream; const t0 = Date.now();
    res.on('close', () => closes.push(`${stream ? 'stream' : 'json'} closed after ${Date.now() - t0} ms`));
    if (!stream) { const t = setTimeout(() => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"id":"x","object":"chat.completion","choices":[]}'); }, 20000); res.on('close', () => clearTimeout(t)); return; }
    res.writeHead(200, { 'content-type': 'text/event-stream' }); let i = 0;
    const t = setInterval(() => res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: `w${i++}` } }] })}\n\n`), 100);
    res.on('close', () => clearInterval(t));
  });
});
await new Promise((r) => up.listen(0, '127.0.0.1', r));
const config = { gatewayKeys: [{ env: 'GW' }], endpoints: [{ name: 'a', baseUrl: `http://127.0.0.1:${up.address().port}/v1`, apiKey: { env: 'KA' } }] };
const env = { GW: 'gw-key', KA: 'sk-aaaaaaaaaaaaaaaaaaaaaaaa' };
for (const [label, start] of [
  ['workerd, enable_request_signal', () => gatewayInWorkerd(config, env)],
  ['workerd, without enable_request_signal', () => gatewayInWorkerd(config, env, { compatibilityFlags: ['nodejs_compat'] })],
  ['node', () => gatewayInNode(config, env)]]) {
  const gw = await start();
  for (const stream of [true, false]) {
    closes.length = 0; const ac = new AbortController(); setTimeout(() => ac.abort(), 1000);
    try { const r = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', signal: ac.signal, headers: { authorization: 'Bearer gw-key', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', stream, messages: [{ role: 'user', content: 'x' }] }) }); await r.text(); } catch {}
    const t0 = Date.now(); while (!closes.length && Date.now() - t0 < 25000) await new Promise((r) => setTimeout(r, 100));
    console.log(`[${label}] ${stream ? 'stream' : 'non-stream'}: caller left at 1000 ms; upstream: ${closes.join(', ') || 'STILL OPEN 25 s later'}`);
  }
  await gw.close();
}
up.closeAllConnections(); up.close(); process.exit(0);
