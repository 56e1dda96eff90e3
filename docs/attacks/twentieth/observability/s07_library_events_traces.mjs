// Library side: createFetch with a recording tracer. For failover, JSON deadline, stream rescue, caller abort
// mid-stream and a cut without rescue: do events pair up (attempt-start/attempt-end, one request-end), do the
// spans carry the true endpoint, cost and outcome, and do x-detour-* headers agree with the upstream?
import { node, chaos, show, upstreamSummary, cleanup, hardStop, sleep } from './lib.mjs';
hardStop(90000);
const opts = { answers: 'deterministic', seed: 7, completionTokens: 20 };
const p = await chaos('primary', { ...opts, chunkDelayMs: 10 });
const b = await chaos('backup', opts);
const spans = [];
let nextId = 1;
const mkSpan = (kind, name, attrs, parent) => {
  const span = { id: nextId++, kind, name, parent: parent?.id, attrs: { ...attrs }, events: [], error: undefined, ended: 0 };
  spans.push(span);
  return { isRecording: () => true, setAttributes: (a) => Object.assign(span.attrs, a), addEvent: (n, a) => span.events.push(n), setError: (m) => { span.error = m; }, end: () => { span.ended += 1; }, _s: span };
};
const tracer = { startRequest: (name, attrs) => mkSpan('request', name, attrs), startAttempt: (name, attrs, parent) => mkSpan('attempt', name, attrs, parent._s) };
const dfetch = node.createFetch({ endpoints: [
  { name: 'primary', baseUrl: p.baseUrl, apiKey: 'sk-primary-aaaaaaaaaaaa', priority: 0 },
  { name: 'backup', baseUrl: b.baseUrl, apiKey: 'sk-backup-bbbbbbbbbbbb', priority: 1 },
], deadlineMs: 1500, streamUsage: 'inject' }, { tracer });
const events = [];
dfetch.router.subscribe((e) => events.push(e));
const call = async (body, abortAfterChunks) => {
  const ac = new AbortController();
  const res = await dfetch('https://api.openai.com/v1/chat/completions', { method: 'POST', signal: ac.signal, headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Tell me a story about a fox.' }], ...body }) });
  const headers = Object.fromEntries([...res.headers].filter(([k]) => k.startsWith('x-detour')));
  let text = '', err;
  try {
    if (abortAfterChunks) {
      const reader = res.body.getReader(); const dec = new TextDecoder();
      for (;;) { const { done, value } = await reader.read(); if (done) break; text += dec.decode(value); if ((text.match(/^data: /gm) ?? []).length >= abortAfterChunks) { ac.abort(); break; } }
    } else text = await res.text();
  } catch (e) { err = e.name + ':' + (e.code ?? e.cause?.code ?? ''); }
  return { status: res.status, headers, done: text.includes('[DONE]'), err };
};
const run = async (label, script, body = {}, abortAfter) => {
  p.setScript(script.p ?? []); b.setScript(script.b ?? []); p.resetStats(); b.resetStats();
  events.length = 0; spans.length = 0;
  const r = await call(body, abortAfter);
  await sleep(400);
  console.log(`\n=== ${label}`);
  show('upstream', { primary: upstreamSummary(p), backup: upstreamSummary(b) });
  show('client', r);
  const seq = events.filter((e) => !['quota-estimate'].includes(e.type)).map((e) => e.type === 'attempt-start' || e.type === 'attempt-end' ? `${e.type}(${e.endpoint}${e.kind ? ':' + e.kind : ''})` : e.type === 'cost-record' ? `cost(${e.endpoint}:${e.outcome}:${e.costUsd?.toFixed(7)})` : e.type === 'request-end' ? `request-end(${e.endpoint},ok=${e.ok},attempts=${e.attempts},code=${e.code})` : e.type);
  show('event order', seq.join(' > '));
  const starts = events.filter((e) => e.type === 'attempt-start').length, ends = events.filter((e) => e.type === 'attempt-end').length;
  show('pairing', { starts, ends, requestEnds: events.filter((e) => e.type === 'request-end').length });
  for (const s of spans) {
    const a = s.attrs;
    show(` span#${s.id} ${s.kind}`, { ep: a['detour.endpoint'], kind: a['detour.attempt.kind'], outcome: a['detour.outcome'] ?? a['detour.outcome.kind'], status: a['http.response.status_code'], error: s.error, cost: a['detour.cost.usd'], costOutcome: a['detour.cost.outcome'], wasted: a['detour.cost.wasted_usd'], attempts: a['detour.attempts'], in: a['gen_ai.usage.input_tokens'], out: a['gen_ai.usage.output_tokens'], ended: s.ended });
  }
};
await run('A: JSON, primary 500 -> backup', { p: [{ fault: { type: 'status', status: 500 } }] });
await sleep(2100);
await run('B: JSON, primary 200 not JSON -> backup', { p: [{ fault: { type: 'status', status: 200, body: 'not json', headers: { 'content-type': 'text/plain' } } }] });
await sleep(2100);
await run('C: stream, primary cut (reset) after 5 tokens -> rescued on backup', { p: [{ fault: { type: 'cut-stream', afterTokens: 5, mode: 'reset' } }] }, { stream: true });
await sleep(2100);
await run('D: stream, caller aborts after 6 data lines', {}, { stream: true }, 6);
await sleep(300);
await run('E: JSON, both hang; deadline 1500', { p: [{ fault: { type: 'hang' } }], b: [{ fault: { type: 'hang' } }] });
await dfetch.router.close?.();
await cleanup();
