// close(): calls after it, twice, concurrently, during a stream; and what the breaker learns from calls after close.
import { createFetch } from '@detour/node';
import OpenAI from 'openai';
import { spawnUpstream } from './lib.mjs';
const A = await spawnUpstream('A', { completionTokens: 30, script: [{ when: { model: 'slow' }, fault: { type: 'slow-body', chunkDelayMs: 100 } }] }, 100);
const B = await spawnUpstream('B', { completionTokens: 30, script: [{ when: { model: 'slow' }, fault: { type: 'slow-body', chunkDelayMs: 100 } }] }, 100);
const endpoints = [{ name: 'a', baseUrl: A.baseUrl, apiKey: 'k' }, { name: 'b', baseUrl: B.baseUrl, apiKey: 'k', priority: 1 }];
const describe = (e) => `${e?.constructor?.name} status=${e?.status ?? '-'} x-detour-error=${e?.headers?.get?.('x-detour-error') ?? '-'} "${String(e?.error?.message ?? e?.message).slice(0, 150)}"`;
const events = [];
const ask = (c, model = 'ok') => c.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });

console.log('--- 1. calls after close()');
{
  const fetch = createFetch({ endpoints });
  fetch.router.subscribe((e) => events.push(e.type));
  const c = new OpenAI({ apiKey: 'x', fetch, maxRetries: 0 });
  await ask(c);
  await fetch.router.close();
  for (let i = 1; i <= 4; i++) {
    const t = Date.now();
    console.log(`  call ${i} after close: ${await ask(c).then((r) => 'served ' + r.choices[0].message.content.slice(0, 15), describe)} (${Date.now() - t} ms)`);
  }
  const h = await fetch.router.health();
  console.log(`  health after: ${h.map((e) => `${e.name}: breaker ${e.breaker}, available ${e.available}, cooldownUntil ${e.cooldownUntil ? e.cooldownUntil - Date.now() + ' ms ahead' : 0}, reason ${JSON.stringify(e.reason)}`).join(' | ')}`);
  const counts = {}; for (const t of events) counts[t] = (counts[t] ?? 0) + 1;
  console.log(`  events seen: ${JSON.stringify(counts)}`);
}
console.log('--- 2. close() twice, concurrently');
{
  const fetch = createFetch({ endpoints });
  await ask(new OpenAI({ apiKey: 'x', fetch, maxRetries: 0 }));
  const r = await Promise.allSettled([fetch.router.close(), fetch.router.close()]);
  const r3 = await Promise.allSettled([fetch.router.close()]);
  console.log(`  two concurrent closes: ${r.map((x) => x.status + (x.reason ? ' ' + describe(x.reason) : '')).join(', ')}; a third later: ${r3[0].status}${r3[0].reason ? ' ' + describe(r3[0].reason) : ''}`);
}
console.log('--- 3. close() while a stream is being read');
{
  const fetch = createFetch({ endpoints });
  const c = new OpenAI({ apiKey: 'x', fetch, maxRetries: 0 });
  const s = await c.chat.completions.create({ model: 'slow', messages: [{ role: 'user', content: 'hi' }], stream: true });
  let k = 0, text = '';
  const t = Date.now(); let closedAt;
  const closing = (async () => { await new Promise((r) => setTimeout(r, 500)); const c0 = Date.now(); await fetch.router.close(); closedAt = Date.now() - c0; })();
  try { for await (const ch of s) { k++; text += ch.choices[0]?.delta?.content ?? ''; } console.log(`  stream ended after ${k} chunks in ${Date.now() - t} ms: ${JSON.stringify(text.slice(0, 60))}`); }
  catch (e) { console.log(`  stream threw after ${k} chunks: ${describe(e)}`); }
  await closing;
  console.log(`  close() resolved after ${closedAt} ms (waits for in-flight streams, as documented)`);
}
console.log('--- 4. a second router sharing the first one\'s store, after the first closed');
{
  const { createMemoryStore } = await import('@detour/core/store');
  const store = createMemoryStore();
  const f1 = createFetch({ endpoints, store });
  const f2 = createFetch({ endpoints, store });
  await ask(new OpenAI({ apiKey: 'x', fetch: f1, maxRetries: 0 }));
  await f1.router.close();
  // The closed router keeps being used by a stale reference (hot reload, a cached client).
  for (let i = 0; i < 3; i++) await ask(new OpenAI({ apiKey: 'x', fetch: f1, maxRetries: 0 })).catch(() => {});
  const h = await f2.router.health();
  console.log(`  router 2 sees: ${h.map((e) => `${e.name}: breaker ${e.breaker}, available ${e.available}, reason ${JSON.stringify(e.reason)}`).join(' | ')}`);
  const t = Date.now();
  console.log(`  router 2 (healthy pool) asks: ${await ask(new OpenAI({ apiKey: 'x', fetch: f2, maxRetries: 0 })).then((r) => 'served ' + r.choices[0].message.content.slice(0, 15), describe)} (${Date.now() - t} ms)`);
  await f2.router.close();
}
A.kill(); B.kill();
process.exit(0);
