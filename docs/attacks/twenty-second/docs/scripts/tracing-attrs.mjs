// docs/tracing.md 32-54: span names and attributes, with an in-memory exporter; routes of no API named `detour /models`
import { NodeTracerProvider, SimpleSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { createFetch } from '@detour/node';
import { startChaosUpstream } from '@detour/testkit';
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }); provider.register();
const a = await startChaosUpstream({ name: 'a' }); const b = await startChaosUpstream({ name: 'b' });
a.setScript([{ when: { path: '/v1/chat/completions' }, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 5000 } }]);
const f = createFetch({ endpoints: [{ name: 'a', baseUrl: a.baseUrl, apiKey: 'sk-a-1234567890ab', provider: 'azure' }, { name: 'b', baseUrl: b.baseUrl, apiKey: 'sk-b-1234567890ab', provider: 'gemini', priority: 1 }] });
await (await f('https://x/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x' }] }) })).text();
await (await f('https://x/v1/models')).text();
await (await f('https://x/v1/embeddings', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'text-embedding-3-small', input: 'x' }) })).text();
await new Promise((r) => setTimeout(r, 100));
for (const s of exporter.getFinishedSpans()) console.log(JSON.stringify(s.name), 'kind', s.kind, JSON.stringify(s.attributes), s.events.map((e) => e.name).join(','));
await f.router.close(); await a.close(); await b.close(); await provider.shutdown();
