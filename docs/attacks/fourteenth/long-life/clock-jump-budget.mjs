// The retry budget across a backward clock step. ep0 answers 500 to every request (its breaker set never to open),
// ep1 serves: each request fails over once, spending one retry. A burst of 120 such
// requests exhausts the budget (floor 5/s × 10 s + 0.2 per request). Then the clock steps back JUMP ms, we wait 12 s
// (the budget's 10 s window), and send 10 more, one a second: are they failed over (200 from ep1) or refused?
import { upstream, gateway, chat, okChat, shift, sleep } from './lib.mjs';
for (const jump of [0, -3_600_000]) {
  const a = await upstream((req, body, res) => { res.writeHead(500, { 'content-type': 'application/json' }); res.end('{"error":{"message":"boom","type":"server_error"}}'); });
  const b = await upstream(okChat);
  const gw = await gateway([a, b], { router: { breaker: { consecutiveFailures: 1000000, minimumVolume: 1000000 } } });
  let k = 0; const burst = {};
  await Promise.all(Array.from({ length: 8 }, async () => { while (k < 120) { const i = k++; const r = await chat(gw, `burst-${i}`); await r.text(); burst[r.status] = (burst[r.status] ?? 0) + 1; } }));
  shift(jump);
  await sleep(12_000);
  const after = [];
  for (let i = 0; i < 10; i++) { const r = await chat(gw, `later-${i}`); const t = await r.text(); after.push(r.status === 200 ? `200@${r.headers.get('x-detour-endpoint')}` : `${r.status}:${(/"code":"([^"]+)"/.exec(t) ?? [])[1]}`); await sleep(1000); }
  console.log(`jump ${jump}: burst ${JSON.stringify(burst)}; 12 s later, one a second:`, after.join(' '));
  shift(-jump); await gw.close(0); await a.close(); await b.close();
}
process.exit(0);
