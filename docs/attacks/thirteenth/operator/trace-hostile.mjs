// Hostile traceparent/tracestate and span attribute content with a recording OTel provider.
import { createRequire } from 'node:module';
const require = createRequire('/tmp/atk13b/apps/worker/dist/index.js');
const { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-node');
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();
const { upstream, gateway, chat, UPKEY, GK } = await import('./lib.mjs');
let n = 0;
const u = await upstream((req, body, res) => {
  n++;
  if (n % 2 === 1) { res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }); return res.end(JSON.stringify({ error: { message: `Rate limit for key ${UPKEY} prompt=${body.slice(0, 200)}`, code: 'rate_limit_exceeded' } })); }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ id: 'c', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'COMPLETION-TEXT' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
});
const u2 = await upstream((req, body, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ id: 'c', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'COMPLETION-TEXT' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } })); });
const gw = await gateway([u, u2]);
const tp = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const cases = [
  { traceparent: tp, tracestate: 'a=' + 'x'.repeat(100_000) },
  { traceparent: tp, tracestate: Array.from({ length: 2000 }, (_, i) => `k${i}=v`).join(',') },
  { traceparent: '00-' + 'f'.repeat(32) + '-' + 'f'.repeat(16) + '-01' },
  { traceparent: 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
  { traceparent: '00-00000000000000000000000000000000-0000000000000000-01' },
  { traceparent: tp + '-extra', tracestate: 'x=\u00ff' },
  { traceparent: tp, baggage: 'userId=alice,' + 'b'.repeat(9000) },
];
for (const h of cases) {
  const r = await chat(gw, 'gpt-4.1-mini', h, { messages: [{ role: 'user', content: 'PROMPT-TEXT' }] });
  console.log(r.status, Object.keys(h).join('+'), (h.traceparent ?? '').slice(0, 20), 'len', (h.tracestate ?? '').length);
  await r.arrayBuffer();
}
await provider.forceFlush();
const spans = exporter.getFinishedSpans();
const dump = JSON.stringify(spans.map((s) => ({ name: s.name, trace: s.spanContext().traceId, parent: s.parentSpanContext?.spanId ?? s.parentSpanId, ts: s.spanContext().traceState?.serialize?.()?.length, attrs: s.attributes, events: s.events })));
console.log('spans', spans.length, 'bytes', dump.length);
for (const needle of [UPKEY, 'SECRET', 'PROMPT-TEXT', 'COMPLETION-TEXT', GK, 'x'.repeat(100)]) console.log('span dump contains', JSON.stringify(needle.slice(0, 20)), dump.includes(needle));
console.log('traceIds', [...new Set(spans.map((s) => s.spanContext().traceId))]);
console.log('tracestate lengths', [...new Set(spans.map((s) => s.spanContext().traceState?.serialize?.()?.length))]);
const upHeaders = [...u.seen, ...u2.seen].map((s) => Object.keys(s.headers));
console.log('upstream header names seen', [...new Set(upHeaders.flat())]);
console.log(JSON.stringify(spans.find((s) => s.attributes['detour.failover.reason'])?.attributes ?? {}).slice(0, 600));
console.log(JSON.stringify(spans.flatMap((s) => s.events.map((e) => [e.name, e.attributes]))).slice(0, 600));
await gw.close(100); await u.close(); await u2.close(); await provider.shutdown();
