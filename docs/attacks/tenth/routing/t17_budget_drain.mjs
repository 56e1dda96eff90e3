// Streams cut after their first event never trip the breaker, but each rescue spends the router-wide retry budget:
// another model's healthy failover is then refused.
import { upstream, node, sleep, send200, sendStatus } from './lib.mjs';
const chunk = (c) => `data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"s","choices":[{"index":0,"delta":{"content":"${c}"},"finish_reason":null}]}\n\n`;
const fin = `data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"s","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n`;
const cutter = await upstream('cutter', async (q, s) => { s.writeHead(200, { 'content-type': 'text/event-stream' }); s.write(chunk('a')); await sleep(20); if (cutter.hits % 10 === 1) return void s.end(fin); s.destroy(); });
const sgood = await upstream('sgood', async (q, s) => { s.writeHead(200, { 'content-type': 'text/event-stream' }); s.end(chunk('a') + fin); });
const jprim = await upstream('jprim', async (q, s) => sendStatus(s, 500));
const jback = await upstream('jback', async (q, s) => send200(s));
const router = node.createRouter({ endpoints: [
  { name: 'cutter', baseUrl: cutter.url, models: ['s'] }, { name: 'sgood', baseUrl: sgood.url, models: ['s'], priority: 1 },
  { name: 'jprim', baseUrl: jprim.url, models: ['j'] }, { name: 'jback', baseUrl: jback.url, models: ['j'], priority: 1 } ] });
let brk = []; router.subscribe((e) => { if (e.type === 'breaker-change') brk.push(`${e.endpoint}:${e.from}->${e.to}`); });
const sb = JSON.stringify({ model: 's', stream: true, messages: [{ role: 'user', content: 'x' }] });
const jb = JSON.stringify({ model: 'j', messages: [{ role: 'user', content: 'x' }] });
// control: a fresh 'j' request fails over fine
const c = await router.send({ path: '/chat/completions', body: jb }).then((r) => 'served by ' + r.endpoint, (e) => e.code);
console.log('before: model j request ->', c);
let sOk = 0, sFail = 0, next = 0;
const w = async () => { while (next < 150) { next++; const r = await router.send({ path: '/chat/completions', body: sb }); try { for await (const _ of r.stream); sOk++; } catch { sFail++; } } };
await Promise.all(Array.from({ length: Number(process.env.CONC ?? 1) }, w));
console.log(`150 streams of model s: ${sOk} clean, ${sFail} failed; cutter hits ${cutter.hits} (all but every 10th cut), breaker changes: ${brk.join(', ') || 'none'}`);
const res = [];
for (let i = 0; i < 4; i++) res.push(await router.send({ path: '/chat/completions', body: jb }).then((r) => 'served by ' + r.endpoint, (e) => `${e.code} (last upstream ${e.attempts?.at?.(-1)?.status ?? '?'})`));
console.log('after: 4 model j requests (jprim 500s, jback healthy) ->', res.join(' | '), `; jback hits ${jback.hits}`);
[cutter, sgood, jprim, jback].forEach((u) => u.close()); process.exit(0);
