// Wall clock stepped back by an hour while the gateway runs (Date.now monkeypatched in process; timers unaffected).
// S1: a 2 s rate-limit cooldown; S2: an open breaker (openMs 5 s); S3: an admission bucket spent with a 2 s reset;
// S4: the dashboard traffic window and cost ledger. Each scenario is run with JUMP=0 (control) and JUMP=-3600000.
import { upstream, gateway as plainGateway, chat, admin, okChat, shift, sleep } from './lib.mjs';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
// REDIS=1: each gateway uses a Redis store (redis-server started here on a temp port, stopped at the end).
let redis;
if (process.env.REDIS === '1') {
  const port = 20000 + Math.floor(Math.random() * 20000);
  redis = { port, server: spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', mkdtempSync('/tmp/attack14b-redis-')], { stdio: 'ignore' }) };
  await sleep(500);
}
let fleet = 0;
const gateway = (ups, extra = {}) => plainGateway(ups, redis ? { ...extra, root: { ...(extra.root ?? {}), store: { redis: `redis://127.0.0.1:${redis.port}`, prefix: `f${fleet++}:` } } } : extra);
const JUMPS = process.env.JUMPS ? process.env.JUMPS.split(',').map(Number) : [0, -3_600_000];
const ep = (r) => r.headers.get('x-detour-endpoint');
const health = async (gw) => { const h = await (await fetch(gw.url + '/healthz')).json(); return h.endpoints.map((e) => `${e.name}:${e.breaker}/avail=${e.available}/cool=${Math.max(0, Math.round(((Math.max(e.cooldownUntil ?? 0, e.disabledUntil ?? 0)) - Date.now()) / 1000))}s`).join(' '); };

for (const jump of JUMPS) {
  console.log(`\n=== jump ${jump} ms`);
  // S1 cooldown
  {
    let n = 0;
    const a = await upstream((req, body, res) => { n++; if (n === 1) { res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '2' }); return res.end('{"error":{"message":"slow","type":"requests","code":"rate_limit_exceeded"}}'); } okChat(req, body, res); });
    const b = await upstream(okChat);
    const gw = await gateway([a, b]);
    const r1 = await chat(gw, 'gpt-4.1'); await r1.text();
    shift(jump);
    await sleep(3000);
    const served = [];
    for (let i = 0; i < 5; i++) { const r = await chat(gw, 'gpt-4.1'); await r.text(); served.push(`${r.status}@${ep(r)}`); }
    console.log('S1 429 retry-after 2 on primary; 3 s later (real) served by:', served.join(' '), '| healthz', await health(gw));
    shift(-jump); await gw.close(0); await a.close(); await b.close();
  }
  // S2 breaker
  {
    let n = 0;
    const a = await upstream((req, body, res) => { n++; if (n <= 5) { res.writeHead(500, { 'content-type': 'application/json' }); return res.end('{"error":{"message":"boom"}}'); } okChat(req, body, res); });
    const b = await upstream(okChat);
    const gw = await gateway([a, b]);
    for (let i = 0; i < 6; i++) { const r = await chat(gw, 'gpt-4.1'); await r.text(); }
    const before = await health(gw);
    shift(jump);
    await sleep(6500);
    const served = [];
    for (let i = 0; i < 5; i++) { const r = await chat(gw, 'gpt-4.1'); await r.text(); served.push(`${r.status}@${ep(r)}`); }
    console.log('S2 breaker opened (', before, '); 6.5 s later (real) served by:', served.join(' '), '| primary hits after open:', n - 5, '| healthz', await health(gw));
    shift(-jump); await gw.close(0); await a.close(); await b.close();
  }
  // S3 admission
  {
    let n = 0;
    let resetAt = Date.now() + 2000;
    const a = await upstream((req, body, res) => {
      n++;
      const now = Date.now();
      const left = Math.max(0, 5 - n);
      res.writeHead(200, { 'content-type': 'application/json', 'x-ratelimit-limit-requests': '5', 'x-ratelimit-remaining-requests': String(left), 'x-ratelimit-reset-requests': '2s' });
      res.end(JSON.stringify({ id: 'c', object: 'chat.completion', model: 'gpt-4.1', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } }));
      if (left === 0) { setTimeout(() => { n = 0; }, 2000); }
    });
    const gw = await gateway([a], { router: { admission: { maxQueueMs: 4000 } } });
    for (let i = 0; i < 5; i++) { const r = await chat(gw, 'gpt-4.1'); await r.text(); }
    shift(jump);
    await sleep(3000);
    const out = [];
    for (let i = 0; i < 3; i++) { const t = performance.now(); const r = await chat(gw, 'gpt-4.1'); await r.text(); out.push(`${r.status}/${Math.round(performance.now() - t)}ms/retry-after=${r.headers.get('retry-after')}`); }
    console.log('S3 bucket of 5 spent, reset 2 s; 3 s later (real):', out.join(' '));
    shift(-jump); await gw.close(0); await a.close();
  }
  // S4 dashboard after the jump
  {
    const a = await upstream(okChat);
    const gw = await gateway([a]);
    for (let i = 0; i < 20; i++) { const r = await chat(gw, 'gpt-4.1'); await r.text(); }
    shift(jump);
    for (let i = 0; i < 30; i++) { const r = await chat(gw, 'gpt-4.1'); await r.text(); }
    const st = await (await admin(gw, '/admin/state')).json();
    const c = await (await admin(gw, '/admin/costs?window=1h')).json();
    const e = (st.endpoints ?? [])[0] ?? {};
    console.log('S4 20 requests before, 30 after the jump: /admin/state attempts', e.attempts, 'served', e.served ?? st.served, '| /admin/costs 1h records', c.rows?.reduce((s, r) => s + r.records, 0));
    shift(-jump); await gw.close(0); await a.close();
  }
}
redis?.server.kill('SIGTERM');
process.exit(0);
