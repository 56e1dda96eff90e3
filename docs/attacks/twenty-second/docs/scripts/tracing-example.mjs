// docs/tracing.md 78-110 as written, except baseUrls pointed at testkit upstreams (UP1 answers 429, UP2 healthy) via env
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { createFetch } from '@detour/node';
import OpenAI from 'openai';
const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'my-app' }),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
});
provider.register();
const fetch = createFetch({ endpoints: [
  { name: 'openai', baseUrl: process.env.UP1, apiKey: 'sk-openai-12345678', priority: 0 },
  { name: 'groq', baseUrl: process.env.UP2, apiKey: 'gsk-groq-12345678', provider: 'groq',
    priority: 1, models: { 'gpt-4.1-mini': 'llama-3.3-70b-versatile' } },
] });
const openai = new OpenAI({ apiKey: 'unused', maxRetries: 0, fetch });
await trace.getTracer('my-app').startActiveSpan('answer the user', async (span) => {
  const completion = await openai.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }] });
  console.log(completion.choices[0].message.content);
  span.end();
});
await provider.shutdown();
