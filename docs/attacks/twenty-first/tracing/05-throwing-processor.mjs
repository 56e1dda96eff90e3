// 05: a span processor that throws in onEnd / onStart for CLIENT (attempt) spans only. Does the request survive,
// and do the other spans of the request (the request span) still end and export?
import { api, sdk, detour, OpenAI, upstream, ok, status, stream, summarize, sleep, withTimeout } from './lib.mjs';
const mode = process.argv[2] ?? 'onEnd';
const exporter = new sdk.InMemorySpanExporter();
let thrown = 0;
const hostile = { onStart: (s) => { if (mode === 'onStart' && s.kind === 2) { thrown++; throw new Error('processor onStart bug'); } },
  onEnd: (s) => { if (mode === 'onEnd' && s.kind === 2) { thrown++; throw new Error('processor onEnd bug'); } }, forceFlush: async () => {}, shutdown: async () => {} };
const live = new Map(); const tracker = { onStart: (s) => live.set(s.spanContext().spanId, s), onEnd: (s) => live.delete(s.spanContext().spanId), forceFlush: async () => {}, shutdown: async () => {} };
// in-memory first, so it sees every span that ends; the hostile processor last.
const provider = new sdk.NodeTracerProvider({ spanProcessors: [tracker, new sdk.SimpleSpanProcessor(exporter), hostile] });
provider.register();
const A = await upstream('A', (q, r, n, b) => (n % 2 === 1 ? status(r, 503) : b.stream ? stream(r, b.model, { delay: 10, words: 4 }) : ok(r, b.model)));
const B = await upstream('B', (q, r, n, b) => (b.stream ? stream(r, b.model, { delay: 10, words: 4 }) : ok(r, b.model)));
const f = detour.createFetch({ endpoints: [{ name: 'A', baseUrl: A.baseUrl, apiKey: 'sk-a' }, { name: 'B', baseUrl: B.baseUrl, apiKey: 'sk-b', priority: 1 }] });
let requestEnds = 0; f.router.subscribe((e) => e.type === 'request-end' && requestEnds++);
const client = new OpenAI({ apiKey: 'x', maxRetries: 0, fetch: f, baseURL: 'http://detour.invalid/v1' });
const results = [];
for (let i = 0; i < 4; i++) {
  try { const c = await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }); results.push('json ok'); } catch (e) { results.push(`json ERR ${e.message}`); }
  try { const s = await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], stream: true }); let t = ''; for await (const c of s) t += c.choices[0]?.delta?.content ?? ''; results.push(`stream ok "${t.trim()}"`); } catch (e) { results.push(`stream ERR ${e.message}`); }
}
await sleep(200);
const spans = summarize(exporter.getFinishedSpans());
const req = spans.filter((s) => s.kind === 'INTERNAL');
console.log(`mode ${mode}: processor threw ${thrown} times; client results: ${JSON.stringify(results)}`);
console.log(`upstream requests ${A.hits.length + B.hits.length}; request-end events ${requestEnds}; exported: request spans ${req.length} (json ${req.filter((s) => !s.attrs['detour.stream']).length}, stream ${req.filter((s) => s.attrs['detour.stream']).length}), attempt spans ${spans.length - req.length}; spans never ended: ${live.size} ${JSON.stringify([...live.values()].map((s) => `${s.name} kind=${s.kind} stream=${s.attributes['detour.stream']}`))}`);
for (const s of req.slice(0, 8)) console.log('  request span', JSON.stringify({ stream: s.attrs['detour.stream'], outcome: s.attrs['detour.outcome'], attempts: s.attrs['detour.attempts'], endpoint: s.attrs['detour.endpoint'] }));
await withTimeout(f.router.close(), 3000, 'close').catch(() => {}); await A.close(); await B.close();
process.exit(0);
