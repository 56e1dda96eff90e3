// Logs every breaker sample (store.recordResult) per scenario, through a wrapped memory store.
import { upstream, node, sleep } from '../routing/lib.mjs';
const chunk = (c) => `data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"${c}"},"finish_reason":null}]}\n\n`;
const fin = `data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n`;
const mev = (t, o) => `event: ${t}\ndata: ${JSON.stringify({ type: t, ...o })}\n\n`;
let mode = 'ok';
const A = await upstream('A', async (q, s, { isDone }) => {
  if (mode === 'fail') { s.writeHead(500, { 'content-type': 'application/json' }); return void s.end('{"error":{"message":"x"}}'); }
  s.writeHead(200, { 'content-type': 'text/event-stream' });
  if (q.url.includes('messages')) {
    s.write(mev('message_start', { message: { id: 'msg', type: 'message', role: 'assistant', model: 'm', content: [], usage: { input_tokens: 1, output_tokens: 0 } } }));
    s.write(mev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }));
    s.write(mev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'hello' } }));
    await sleep(100);
    if (mode === 'cut') return void s.destroy();
    s.write(mev('content_block_stop', { index: 0 }));
    s.write(mev('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 1 } }));
    return void s.end(mev('message_stop', {}));
  }
  s.write(chunk('hello ')); await sleep(Number(process.env.HOLD ?? 150));
  if (mode === 'cut') return void s.destroy();
  if (mode === 'long') { for (let i = 0; i < 20 && !isDone(); i++) { s.write(chunk('x')); await sleep(100); } }
  if (!isDone()) s.end(chunk('world') + fin);
});
const B = await upstream('B', async (q, s) => { s.writeHead(200, { 'content-type': 'text/event-stream' }); s.end(chunk('hello world') + fin); });
const mk = (extra = {}) => {
  const base = node.createMemoryStore();
  const log = [];
  const store = new Proxy(base, { get(t, k) { const v = t[k]; if (k === 'recordResult') return (ep, r, o) => { const before = t.read(ep).breaker; const after = v.call(t, ep, r, o); log.push(`${ep}:${r.outcome}${r.probe ? '(probe)' : ''} g${r.generation} [${before.position} g${before.generation} -> ${after.position} g${after.generation}]`); return after; }; return typeof v === 'function' ? v.bind(t) : v; } });
  const router = node.createRouter({ endpoints: [{ name: 'A', baseUrl: A.url, apis: ['chat', 'messages'] }, { name: 'B', baseUrl: B.url, priority: 1, continuation: 'none' }], store, breaker: { openMs: 200 }, ...extra }, );
  return { router, log, store: base };
};
const sb = JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }] });
const drain = async (r) => { try { for await (const _ of r.stream); return 'complete'; } catch (e) { return 'error: ' + (e.code ?? e.message).slice(0, 60); } };
const scenario = async (name, fn, extra) => { const ctx = mk(extra); const out = await fn(ctx); await sleep(50); console.log(`${name}: ${out ?? ''}\n   samples: ${ctx.log.join(' | ') || 'none'}`); };

await scenario('1 complete chat stream', async ({ router }) => { mode = 'ok'; return drain(await router.send({ path: '/chat/completions', body: sb })); }, { rescue: 'off' });
await scenario('2 cut chat stream, rescued by B (replay)', async ({ router }) => { mode = 'cut'; return drain(await router.send({ path: '/chat/completions', body: sb })); }, { rescue: 'continue-or-replay' });
await scenario('3 cut chat stream, rescue off', async ({ router }) => { mode = 'cut'; return drain(await router.send({ path: '/chat/completions', body: sb })); }, { rescue: 'off' });
await scenario('4 half-open probe stream, then cut', async ({ router }) => {
  mode = 'fail';
  for (let i = 0; i < 5; i++) await router.send({ path: '/chat/completions', body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }] }) }).catch(() => {});
  await sleep(250); mode = 'cut';
  return drain(await router.send({ path: '/chat/completions', body: sb }));
}, { rescue: 'off', maxAttempts: 1 });
await scenario("5 streamDeadline 'total' cut by the deadline", async ({ router }) => { mode = 'long'; return drain(await router.send({ path: '/chat/completions', body: sb })); }, { rescue: 'off', streamDeadline: 'total', deadlineMs: 500 });
await scenario('6 caller returns mid-stream', async ({ router }) => { mode = 'long'; const r = await router.send({ path: '/chat/completions', body: sb }); const it = r.stream[Symbol.asyncIterator](); await it.next(); await it.return(); return 'returned'; }, { rescue: 'off' });
const mb = JSON.stringify({ model: 'm', max_tokens: 5, stream: true, messages: [{ role: 'user', content: 'x' }] });
await scenario('7 Messages stream complete', async ({ router }) => { mode = 'ok'; return drain(await router.send({ path: '/messages', body: mb })); }, { rescue: 'off' });
await scenario('8 Messages stream cut (rescue on)', async ({ router }) => { mode = 'cut'; return drain(await router.send({ path: '/messages', body: mb })); });
await scenario('9 stream outlives an open+close of its breaker', async ({ router }) => {
  mode = 'long';
  const r = await router.send({ path: '/chat/completions', body: sb });
  const p = drain(r);
  await sleep(200); mode = 'fail';
  for (let i = 0; i < 5; i++) await router.send({ path: '/chat/completions', body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }] }) }).catch(() => {});
  await sleep(250); mode = 'ok';
  await drain(await router.send({ path: '/chat/completions', body: sb }));
  return p;
}, { rescue: 'off', maxAttempts: 1 });
A.close(); B.close(); process.exit(0);
