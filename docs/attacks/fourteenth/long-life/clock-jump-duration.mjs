// How long a backward wall-clock step of JUMP ms (default 20 s) holds a 2 s rate-limit cooldown (S1) and a spent
// admission bucket with a 2 s reset (S3): polls every 1 s (real time) until the primary serves / a request is admitted.
import { upstream, gateway, chat, okChat, shift, sleep } from './lib.mjs';
const JUMP = Number(process.env.JUMP ?? -20_000);
{
  let n = 0;
  const a = await upstream((req, body, res) => { n++; if (n === 1) { res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '2' }); return res.end('{"error":{"message":"slow","type":"requests","code":"rate_limit_exceeded"}}'); } okChat(req, body, res); });
  const b = await upstream(okChat);
  const gw = await gateway([a, b]);
  await (await chat(gw, 'gpt-4.1')).text();
  shift(JUMP);
  const t0 = performance.now();
  for (;;) { await sleep(1000); const r = await chat(gw, 'gpt-4.1'); await r.text(); if (r.headers.get('x-detour-endpoint') === 'ep0') break; }
  console.log(`S1: cooldown asked 2 s; clock stepped ${JUMP} ms; primary served again after ${((performance.now() - t0) / 1000).toFixed(1)} s (real)`);
  shift(-JUMP); await gw.close(0); await a.close(); await b.close();
}
{
  let n = 0;
  const a = await upstream((req, body, res) => { n++; const left = Math.max(0, 5 - n); res.writeHead(200, { 'content-type': 'application/json', 'x-ratelimit-limit-requests': '5', 'x-ratelimit-remaining-requests': String(left), 'x-ratelimit-reset-requests': '2s' }); res.end(JSON.stringify({ id: 'c', object: 'chat.completion', model: 'gpt-4.1', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } })); if (left === 0) setTimeout(() => { n = 0; }, 2000); });
  const gw = await gateway([a], { router: { admission: { maxQueueMs: 500 } } });
  for (let i = 0; i < 5; i++) await (await chat(gw, 'gpt-4.1')).text();
  shift(JUMP);
  const t0 = performance.now(); let refused = 0;
  for (;;) { await sleep(1000); const r = await chat(gw, 'gpt-4.1'); await r.text(); if (r.status === 200) break; refused++; }
  console.log(`S3: bucket reset asked 2 s; clock stepped ${JUMP} ms; admitted again after ${((performance.now() - t0) / 1000).toFixed(1)} s (real), ${refused} requests refused 503 meanwhile`);
  shift(-JUMP); await gw.close(0); await a.close();
}
process.exit(0);
