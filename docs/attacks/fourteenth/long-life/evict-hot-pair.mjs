// Admission's per-(endpoint, model) buckets are capped at admission.maxModels (1,024), forgetting the oldest-created
// pair first. One endpoint limits gpt-4.1 to 20 requests per 2 s window (headers on every answer, 429 past it).
// A legitimate caller sends gpt-4.1 from 8 loops for SECS s; with JUNK=1 another caller sends distinct model names
// meanwhile. Counts the 429s the upstream had to send for gpt-4.1 (what admission exists to avoid).
import { upstream, gateway, chat, sleep } from './lib.mjs';
const SECS = Number(process.env.SECS ?? 20);
for (const junk of [false, true]) {
  let windowStart = Date.now(), count = 0, over = 0, served = 0;
  const a = await upstream((req, body, res) => {
    let model = 'x'; try { model = JSON.parse(body).model; } catch {}
    const body200 = JSON.stringify({ id: 'c', object: 'chat.completion', model, choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });
    if (model !== 'gpt-4.1') { res.writeHead(200, { 'content-type': 'application/json', 'x-ratelimit-limit-requests': '100000', 'x-ratelimit-remaining-requests': '99999', 'x-ratelimit-reset-requests': '1ms' }); return res.end(body200); }
    const now = Date.now();
    if (now - windowStart >= 2000) { windowStart = now - ((now - windowStart) % 2000); count = 0; }
    count++;
    const resetMs = 2000 - (now - windowStart);
    const h = { 'content-type': 'application/json', 'x-ratelimit-limit-requests': '20', 'x-ratelimit-remaining-requests': String(Math.max(0, 20 - count)), 'x-ratelimit-reset-requests': `${resetMs}ms` };
    if (count > 20) { over++; res.writeHead(429, { ...h, 'retry-after-ms': String(resetMs) }); return res.end('{"error":{"message":"Rate limit","type":"requests","code":"rate_limit_exceeded"}}'); }
    served++; res.writeHead(200, h); res.end(body200);
  });
  const gw = await gateway([a]);
  const t0 = Date.now(); const legit = {}; let j = 0;
  const junkLoops = junk ? Array.from({ length: 16 }, async () => { while (Date.now() - t0 < SECS * 1000) { const r = await chat(gw, `junk-${j++}`); await r.arrayBuffer(); } }) : [];
  const legitLoops = Array.from({ length: 8 }, async () => { while (Date.now() - t0 < SECS * 1000) { const r = await chat(gw, 'gpt-4.1'); await r.arrayBuffer(); legit[r.status] = (legit[r.status] ?? 0) + 1; } });
  await Promise.all([...junkLoops, ...legitLoops]);
  console.log(`junk=${junk}: ${j} junk names; gpt-4.1 caller saw ${JSON.stringify(legit)}; upstream served ${served} gpt-4.1 and answered ${over} with 429 (${(over / SECS).toFixed(1)}/s)`);
  await gw.close(0); await a.close();
}
process.exit(0);
