// P1: after a mix of caller aborts (before answer, mid-JSON body, mid-stream), abandoned streams (never read, never
// cancelled), stream cancels and hung upstreams cut by attemptTimeoutMs, does every endpoint's in-flight count
// (health().pending: Peak EWMA's load multiplier) and admission's reserved count return to 0? A leaked pending would
// penalise the endpoint in latency selection for good.
import { createRouter, createFakeClock, endpoint, chat, chatCompletion } from './harness.mjs';
const clock = createFakeClock();
const enc = new TextEncoder();
const sleepFake = (ms, signal) => new Promise((r, j) => { const h = clock.schedule(r, ms); signal?.addEventListener('abort', () => { clock.cancel(h); j(signal.reason); }, { once: true }); });
let n = 0;
const transport = (request, signal) => {
  n += 1;
  const kind = n % 5;
  const stream = new TextDecoder().decode(request.body).includes('"stream":true');
  return new Promise((resolve, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    if (kind === 4) return; // hang until aborted
    clock.schedule(() => {
      if (signal.aborted) return;
      if (stream) resolve({ status: 200, headers: { 'content-type': 'text/event-stream' }, cancel: () => {}, body: { async *[Symbol.asyncIterator]() {
        for (let i = 0; i < 20; i += 1) { yield enc.encode(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1', choices: [{ index: 0, delta: { content: `w${i} ` }, finish_reason: null }] })}\n\n`); await sleepFake(200, signal); }
        yield enc.encode('data: [DONE]\n\n');
      } } });
      else resolve({ status: 200, headers: { 'content-type': 'application/json' }, cancel: () => {}, body: { async *[Symbol.asyncIterator]() { await sleepFake(kind * 100, signal); yield enc.encode(JSON.stringify(chatCompletion('ok'))); } } });
    }, 30 + kind * 20);
  });
};
const router = createRouter({ endpoints: [endpoint('a'), endpoint('b'), endpoint('c')], selection: 'latency', attemptTimeoutMs: 3000, streamIdleTimeoutMs: 5000 }, { transport, clock, sleep: clock.sleep, random: Math.random });
const ticks = async () => { for (let i = 0; i < 40; i += 1) await Promise.resolve(); };
const step = async (ms) => { for (let t = 0; t < ms; t += 10) { clock.advance(10); await ticks(); } };
const jobs = [];
for (let i = 0; i < 300; i += 1) {
  const mode = i % 6; const controller = new AbortController();
  const stream = mode >= 3;
  const p = router.send({ ...chat(stream ? { stream: true } : {}), signal: controller.signal }).then(async (r) => {
    if (mode === 3) { for await (const _ of r.stream) {} }            // read whole
    else if (mode === 4) { let k = 0; for await (const _ of r.stream) { if (++k === 3) break; } } // stop reading (return())
    else if (mode === 5) { /* abandon: never read, never cancel */ }
  }, () => {});
  if (mode === 1 || mode === 4) clock.schedule(() => controller.abort(new Error('left')), 40 + (i % 7) * 30);
  jobs.push(p);
  await step(50);
}
await step(60_000);
await Promise.allSettled(jobs);
await step(10_000);
const health = await router.health();
console.log('pending per endpoint:', JSON.stringify(health.map((e) => [e.name, e.pending])));
console.log('admission:', JSON.stringify(router.admission?.()));
process.exit(0);
