// Streams: a whole stream, a caller who aborts mid-stream, a cut rescued by replay on the backup, a cut not rescued.
// Ground truth: upstream records, the bytes the client read, wall clock. Compared with metrics, access log, events.
import { chaos, gateway, scrape, diff, show, upstreamSummary, cleanup, hardStop, sleep } from './lib.mjs';
hardStop(90000);
const opts = { answers: 'deterministic', seed: 7, completionTokens: 20 };
const p = await chaos('primary', opts);
const b = await chaos('backup', opts);
const g = await gateway({ endpoints: [
  { name: 'primary', baseUrl: p.baseUrl, apiKey: 'sk-primary-aaaaaaaaaaaa', priority: 0 },
  { name: 'backup', baseUrl: b.baseUrl, apiKey: 'sk-backup-bbbbbbbbbbbb', priority: 1 },
] });
const M = ['detour_requests_total', 'detour_attempts_total', 'detour_failovers_total', 'detour_stream_rescues_total', 'detour_cost_usd_total', 'detour_tokens_total', 'detour_request_duration_seconds_sum', 'detour_time_to_first_byte_seconds_count', 'detour_attempt_duration_seconds_count'];
const streamReq = async (abortAfterChunks) => {
  const ac = new AbortController();
  const t0 = performance.now();
  const res = await fetch(g.url + '/v1/chat/completions', { method: 'POST', signal: ac.signal,
    headers: { authorization: 'Bearer gk-test-key-0001', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'Tell me a story about a fox.' }] }) });
  const hdr = Object.fromEntries([...res.headers].filter(([k]) => k.startsWith('x-detour')));
  let text = '', err, chunks = 0;
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += dec.decode(value, { stream: true });
      chunks = (text.match(/^data: /gm) ?? []).length;
      if (abortAfterChunks && chunks >= abortAfterChunks) { ac.abort(); break; }
    }
  } catch (e) { err = e.cause?.code ?? e.name; }
  const content = [...text.matchAll(/"content":"([^"]*)"/g)].map((m) => m[1]).join('');
  return { status: res.status, hdr, chunks, done: text.includes('[DONE]'), err, usageChunk: /"usage":\{/.test(text), words: content.trim().split(/\s+/).filter(Boolean).length, wallMs: Math.round(performance.now() - t0) };
};
const run = async (label, script, abortAfter) => {
  p.setScript(script.p ?? []); b.setScript(script.b ?? []); p.resetStats(); b.resetStats();
  g.log.length = 0; g.events.length = 0;
  const m0 = await scrape(g);
  const r = await streamReq(abortAfter);
  await sleep(500);
  const m1 = await scrape(g);
  console.log(`\n=== ${label}`);
  show('upstream primary', upstreamSummary(p)); show('upstream backup', upstreamSummary(b));
  show('client', r);
  for (const l of g.log.filter((l) => l.route !== '/metrics')) show('access log', l);
  for (const name of M) show(name, diff(m0, m1, name));
  const counts = {}; for (const e of g.events) counts[e.type] = (counts[e.type] ?? 0) + 1; show('events', counts);
  for (const e of g.events.filter((e) => ['cost-record', 'request-end', 'stream-rescue', 'attempt-end'].includes(e.type))) {
    const { type, at, usage, ...rest } = e; show(' ' + type, { ...rest, ...(usage ? { in: usage.inputTokens, out: usage.outputTokens } : {}) });
  }
};
await run('A: whole stream', {});
await run('B: caller aborts after 5 data lines (primary slow-body 100ms)', { p: [{ fault: { type: 'slow-body', chunkDelayMs: 100 } }] }, 5);
await run('C: primary cuts (close) after 5 tokens; backup replays', { p: [{ fault: { type: 'cut-stream', afterTokens: 5, mode: 'close' } }] });
await sleep(2500);
await run('D: primary cuts (reset) after 5 tokens; backup 500 (no rescue)', { p: [{ fault: { type: 'cut-stream', afterTokens: 5, mode: 'reset' } }], b: [{ fault: { type: 'status', status: 500 } }] });
await sleep(2500);
await run('E: primary stream-error-event after 5 tokens; backup replays', { p: [{ fault: { type: 'stream-error-event', afterTokens: 5 } }] });
await cleanup();
