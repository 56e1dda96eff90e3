// 02: streamed spans: end once, at the right time, right status; rescue / cut / abort / idle; leak check on many aborts.
import { api, detour, OpenAI, setupOtel, upstream, ok, status, stream, summarize, sleep, withTimeout } from './lib.mjs';
const diag = [];
api.diag.setLogger({ error: (...a) => diag.push(['error', a.join(' ')]), warn: (...a) => diag.push(['warn', a.join(' ')]), info() {}, debug() {}, verbose() {} }, api.DiagLogLevel.WARN);
const open = new Map(); let started = 0, endedCount = 0;
const counter = { onStart: (s) => { started++; open.set(s.spanContext().spanId, s.name); }, onEnd: (s) => { endedCount++; open.delete(s.spanContext().spanId); }, forceFlush: async () => {}, shutdown: async () => {} };
const { exporter, provider } = setupOtel([counter]);

const run = async (label, ups, config, call, { quiet = false } = {}) => {
  exporter.reset(); diag.length = 0;
  const f = detour.createFetch({ endpoints: ups.map((u, i) => ({ name: u.name, baseUrl: u.baseUrl, apiKey: `sk-${u.name}-SECRETKEY123456789`, priority: i, ...(u.extra ?? {}) })), ...config });
  const events = []; const t0 = Date.now();
  let ended; const endP = new Promise((r) => f.router.subscribe((e) => { events.push(`${e.type}${e.outcome ? ':' + e.outcome : ''}${e.code ? ':' + e.code : ''}@${Date.now() - t0}`); if (e.type === 'request-end') r((ended = e)); }));
  const client = new OpenAI({ apiKey: 'unused', maxRetries: 0, fetch: f, baseURL: 'http://detour.invalid/v1' });
  let result; 
  try { result = await withTimeout(call(client), 15000, label); } catch (e) { result = `ERR ${e.constructor.name} ${e.status ?? ''} ${e.message?.slice(0, 150)}`; }
  const clientMs = Date.now() - t0;
  await withTimeout(endP, 10000, 'request-end').catch((e) => console.log(label, e.message));
  await sleep(100); await provider.forceFlush();
  const spans = summarize(exporter.getFinishedSpans());
  const hits = ups.map((u) => `${u.name}:${u.hits.length}`).join(' ');
  console.log(`\n===== ${label}: upstream hits ${hits} | spans ${spans.length} | client: ${typeof result === 'string' ? result : JSON.stringify(result)} (client done @${clientMs}ms)`);
  console.log(`events: ${events.join(' ')}`);
  console.log(`request-end: ${JSON.stringify(ended && { ok: ended.ok, code: ended.code, attempts: ended.attempts, endpoint: ended.endpoint, durationMs: ended.durationMs })}`);
  if (!quiet) for (const s of spans) console.log(JSON.stringify({ name: s.name, kind: s.kind, status: s.status, durMs: s.durMs, attrs: s.attrs }));
  if (diag.length) console.log('DIAG', JSON.stringify(diag.slice(0, 5)));
  await withTimeout(f.router.close(), 3000, 'close').catch((e) => console.log(e.message));
  for (const u of ups) await u.close();
  return result;
};
const msg = [{ role: 'user', content: 'hello' }];
const readAll = async (s) => { let text = ''; let finish; for await (const c of s) { text += c.choices[0]?.delta?.content ?? ''; finish = c.choices[0]?.finish_reason ?? finish; } return { text, finish }; };
const streamReq = (c, extra = {}) => c.chat.completions.create({ model: 'gpt-4.1', messages: msg, stream: true, stream_options: { include_usage: true } }, extra);

await run('a-stream-complete (6 chunks x 100ms)', [await upstream('A', (q, r, n, b) => stream(r, b.model, { delay: 100 }))], {}, async (c) => readAll(await streamReq(c)));
await run('b-cut-rescued (A cut after 3, B replays)', [await upstream('A', (q, r, n, b) => stream(r, b.model, { cutAfter: 3, delay: 50 })), await upstream('B', (q, r, n, b) => stream(r, b.model, { delay: 20 }))], {}, async (c) => readAll(await streamReq(c)));
await run('c-cut-no-rescue', [await upstream('A', (q, r, n, b) => stream(r, b.model, { cutAfter: 3, delay: 50 })), await upstream('B', (q, r, n, b) => stream(r, b.model))], { rescue: 'off' }, async (c) => readAll(await streamReq(c)));
await run('d-stall-no-rescue (idle 300ms)', [await upstream('A', (q, r, n, b) => stream(r, b.model, { cutAfter: 3, hang: true, delay: 20 }))], { rescue: 'off', streamIdleTimeoutMs: 300 }, async (c) => readAll(await streamReq(c)));
await run('e-client-abort-after-2-chunks', [await upstream('A', (q, r, n, b) => stream(r, b.model, { delay: 200, words: 20 }))], {}, async (c) => {
  const ac = new AbortController(); const s = await streamReq(c, { signal: ac.signal }); let n = 0;
  for await (const ch of s) { if (++n === 2) { ac.abort(); } } return 'read ended';
});
await run('f-client-break-loop', [await upstream('A', (q, r, n, b) => stream(r, b.model, { delay: 200, words: 20 }))], {}, async (c) => {
  const s = await streamReq(c); let n = 0; for await (const ch of s) { if (++n === 2) break; } const t = Date.now(); return `broke after 2`;
});
await run('g-client-stops-reading (idle 400ms)', [await upstream('A', (q, r, n, b) => stream(r, b.model, { delay: 50, words: 400 }))], { streamIdleTimeoutMs: 400 }, async (c) => {
  const s = await streamReq(c); const it = s[Symbol.asyncIterator](); await it.next(); await it.next(); await sleep(1500); return 'stopped reading for 1500ms';
});
await run('h-all-attempts-cut-then-rescue-fails', [await upstream('A', (q, r, n, b) => stream(r, b.model, { cutAfter: 2, delay: 30 })), await upstream('B', (q, r, n, b) => status(r, 503))], {}, async (c) => readAll(await streamReq(c)));

// Leak check: 100 streams aborted by the client at random points, 20 at a time.
{
  const up = await upstream('A', (q, r, n, b) => stream(r, b.model, { delay: 15, words: 30 }));
  const f = detour.createFetch({ endpoints: [{ name: 'A', baseUrl: up.baseUrl, apiKey: 'sk-A-x' }] });
  let ends = 0; f.router.subscribe((e) => e.type === 'request-end' && ends++);
  const client = new OpenAI({ apiKey: 'unused', maxRetries: 0, fetch: f, baseURL: 'http://detour.invalid/v1' });
  exporter.reset(); diag.length = 0; const s0 = started, e0 = endedCount;
  const one = async (i) => { const ac = new AbortController(); try { const s = await streamReq(client, { signal: ac.signal }); let n = 0; for await (const ch of s) { if (++n === 1 + (i % 7)) { if (i % 3 === 0) ac.abort(); else if (i % 3 === 1) break; else { await sleep(5); ac.abort(); } } } } catch {} };
  for (let k = 0; k < 5; k++) await Promise.all(Array.from({ length: 20 }, (_, j) => one(k * 20 + j)));
  await sleep(1500); await provider.forceFlush();
  console.log(`\n===== leak check: 100 aborted streams: upstream hits ${up.hits.length}, request-end events ${ends}, spans started ${started - s0}, ended ${endedCount - e0}, still open ${open.size} ${JSON.stringify([...open.values()].slice(0, 3))}, diag ${JSON.stringify(diag.slice(0, 3))}`);
  const sp = summarize(exporter.getFinishedSpans());
  const outcomes = {}; for (const s of sp) { const k = `${s.kind}:${s.attrs['detour.outcome'] ?? s.attrs['error.type'] ?? 'ok'}`; outcomes[k] = (outcomes[k] ?? 0) + 1; }
  console.log('span outcomes', JSON.stringify(outcomes));
  await withTimeout(f.router.close(), 3000, 'close').catch((e) => console.log(e.message)); await up.close();
}
await provider.shutdown();
