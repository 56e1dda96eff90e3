// B3: half-open probe that is a long stream (first event after 50 ms, then one event a second for 120 s). primary
// tripped by 5 x 500; backup in tier 1. Requests (JSON) every 500 ms after the probe starts: do they reach primary as
// soon as the probe's first event proved it healthy, or only when the stream ends / probeTimeoutMs (30 s)?
import { createRouter, createFakeClock, endpoint, chat, chatCompletion } from './harness.mjs';
const clock = createFakeClock();
const origin = clock.now();
const enc = new TextEncoder();
let phase = 'failing';
const calls = [];
const sleepFake = (ms) => new Promise((r) => clock.schedule(r, ms));
const transport = (request, signal) => {
  calls.push({ endpoint: request.endpoint, at: clock.now() });
  const body = new TextDecoder().decode(request.body);
  const stream = body.includes('"stream":true');
  return new Promise((resolve) => clock.schedule(() => {
    if (request.endpoint === 'primary' && phase === 'failing') return resolve({ status: 500, headers: { 'content-type': 'application/json' }, body: { async *[Symbol.asyncIterator]() { yield enc.encode('{"error":{"message":"boom","type":"server_error"}}'); } }, cancel: () => {} });
    if (stream) {
      return resolve({ status: 200, headers: { 'content-type': 'text/event-stream' }, cancel: () => {}, body: { async *[Symbol.asyncIterator]() {
        for (let i = 0; i < 120; i += 1) {
          yield enc.encode(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1', choices: [{ index: 0, delta: { content: `w${i} ` }, finish_reason: null }] })}\n\n`);
          await sleepFake(1000);
        }
        yield enc.encode(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`);
      } } });
    }
    resolve({ status: 200, headers: { 'content-type': 'application/json' }, cancel: () => {}, body: { async *[Symbol.asyncIterator]() { yield enc.encode(JSON.stringify(chatCompletion('ok'))); } } });
  }, 50));
};
const router = createRouter({ endpoints: [endpoint('primary', { priority: 0 }), endpoint('backup', { priority: 1 })], maxAttempts: 1 }, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
const events = []; router.subscribe((e) => { if (e.type === 'breaker-change') events.push(`${((clock.now() - origin) / 1000).toFixed(2)}s ${e.to ?? e.position}`); });
const ticks = async () => { for (let i = 0; i < 50; i += 1) await Promise.resolve(); };
const step = async (ms) => { for (let t = 0; t < ms; t += 10) { clock.advance(10); await ticks(); } };
for (let i = 0; i < 5; i += 1) { const p = router.send(chat()).catch(() => {}); await step(100); await p; }
phase = 'healthy';
await step(5500);
const probe = router.send(chat({ stream: true })).then(async (r) => { let n = 0; for await (const c of r.stream) n += c.length; return `stream from ${r.endpoint} done (${n} bytes) at ${((clock.now() - origin) / 1000).toFixed(1)} s`; }, (e) => `probe err ${e.code}`);
const probeAt = (clock.now() - origin) / 1000;
const served = [];
for (let i = 0; i < 40; i += 1) {
  await step(500);
  const p = router.send(chat()).then((r) => r.endpoint, (e) => `err:${e.code}`);
  await step(100);
  served.push(`${((clock.now() - origin) / 1000).toFixed(1)}:${await p}`);
}
await step(100_000);
console.log('probe (stream) started at', probeAt, 's;', await probe);
console.log('first JSON request served by primary:', served.find((s) => s.endsWith('primary')), '; first 6:', served.slice(0, 6).join(' '));
console.log('breaker:', events.join(' | '));
process.exit(0);
