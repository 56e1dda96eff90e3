// packages/edge/README.md lines 6-26 as written (only the base URLs point at a local testkit upstream, via a placeholder)
import OpenAI from 'openai';
import { createFetch } from '@detour/edge';

// Module scope: breaker, cooldown and budget state persist across requests within the isolate.
const detourFetch = createFetch({
  endpoints: [
    { name: 'openai', baseUrl: '__UP__/v1', apiKey: OPENAI_KEY, priority: 0 },
    { name: 'groq', baseUrl: '__UP__/v1', apiKey: GROQ_KEY, provider: 'groq', priority: 1,
      models: { 'gpt-4.1': 'llama-3.3-70b-versatile' } },
  ],
});

export default {
  async fetch(request: Request) {
    const openai = new OpenAI({ apiKey: 'unused', fetch: detourFetch, maxRetries: 0 });
    const stream = await openai.chat.completions.create({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'Hi' }] });
    return new Response(stream.toReadableStream());
  },
};
