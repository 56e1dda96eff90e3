// Admission queue under a configured rpm limit: many waiters, random caller aborts while queued; then depth/reserved.
import { createRouter } from '@detour/node';
import { startUpstream } from './upstream.mjs';
const kill = setTimeout(() => { console.log('TIMEOUT'); process.exit(2); }, 60000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ups = await Promise.all(['a', 'b'].map((n) => startUpstream(n)));
const router = createRouter({ endpoints: ups.map((u) => ({ name: u.name, baseUrl: u.url, apiKey: 'sk-x-0123456789abcdef', limits: { rpm: 20 } })),
  deadlineMs: 15000, admission: { maxQueueMs: 8000 }, breaker: { consecutiveFailures: 1000 } });
const ev = {};
router.subscribe((e) => { if (e.type.startsWith('admission')) { const k = `${e.type}:${e.exit ?? e.reason ?? ''}`; ev[k] = (ev[k] ?? 0) + 1; } });
let maxDepth = 0;
const poll = setInterval(() => { maxDepth = Math.max(maxDepth, router.admission().total); }, 5);
const res = {};
await Promise.all(Array.from({ length: 60 }, async (_, i) => {
  const ac = new AbortController();
  if (i % 2) setTimeout(() => ac.abort(), 50 + ((i * 97) % 6000));
  const stream = i % 3 === 0;
  try {
    const r = await router.send({ method: 'POST', path: '/chat/completions', headers: { 'content-type': 'application/json' }, signal: ac.signal,
      body: JSON.stringify({ model: 'm', stream, messages: [{ role: 'user', content: 'hi' }], plan: { a: i % 5 === 0 ? 'err500' : 'ok', b: 'ok' }, chunks: 5, delay: 50 }) });
    if (r.stream) { try { for await (const _ of r.stream); } catch {} }
    res.ok = (res.ok ?? 0) + 1;
  } catch (e) { res[e.code ?? e.name] = (res[e.code ?? e.name] ?? 0) + 1; }
}));
clearInterval(poll);
await sleep(Number(process.argv[2] ?? 1000));
console.log('results', JSON.stringify(res), 'max queue depth', maxDepth, 'events', JSON.stringify(ev));
console.log('after', JSON.stringify(router.admission()), 'pending', (await router.health()).map((e) => e.pending).join(','), 'upstream open', ups.map((u) => u.open), 'resources', JSON.stringify(process.getActiveResourcesInfo().reduce((m, k) => ((m[k] = (m[k] ?? 0) + 1), m), {})));
await router.close(); for (const u of ups) await u.close();
clearTimeout(kill);
