// One endpoint; it answers 429 retry-after 2 once. The clock steps back an hour; what does a caller get 3 s later
// (real), and how fast? Also with preferWaitMs and maxServerDelayMs set high (waits the engine may take).
import { upstream, gateway, chat, okChat, shift, sleep } from './lib.mjs';
for (const router of [{}, { maxServerDelayMs: 7_200_000 }]) {
  let n = 0;
  const a = await upstream((req, body, res) => { n++; if (n === 1) { res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '2' }); return res.end('{"error":{"message":"slow","type":"requests","code":"rate_limit_exceeded"}}'); } okChat(req, body, res); });
  const gw = await gateway([a], { router });
  const t = performance.now(); const r0 = await chat(gw, 'gpt-4.1'); await r0.text();
  console.log(JSON.stringify(router), 'first request', r0.status, `${Math.round(performance.now() - t)} ms`);
  shift(-3_600_000);
  await sleep(3000);
  const t1 = performance.now();
  const ac = new AbortController(); const timer = setTimeout(() => ac.abort(), 20_000);
  try { const r = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', signal: ac.signal, headers: { authorization: 'Bearer gk-caller-0123456789', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) }); const text = await r.text(); console.log('  after the step:', r.status, `${Math.round(performance.now() - t1)} ms`, 'retry-after', r.headers.get('retry-after'), text.slice(0, 160)); }
  catch (e) { console.log('  after the step: no answer within 20 s (client gave up)', e.name); }
  clearTimeout(timer);
  shift(3_600_000); await gw.close(0); await a.close();
}
process.exit(0);
