import { createFetch } from '@detour/node';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText } from 'ai';
export const fetch = createFetch({
  endpoints: [
    { name: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: process.env.OPENAI_API_KEY, provider: 'openai', priority: 0 },
    { name: 'openrouter', baseUrl: 'https://openrouter.ai/api/v1', apiKey: process.env.OPENROUTER_API_KEY,
      provider: 'openrouter', apis: ['chat', 'responses'], models: { 'gpt-4.1': 'openai/gpt-4.1' }, priority: 1 },
    { name: 'anthropic', baseUrl: 'https://api.anthropic.com/v1', apiKey: process.env.ANTHROPIC_API_KEY, provider: 'anthropic', priority: 0 },
    { name: 'anthropic-backup', baseUrl: 'https://api.anthropic.com/v1', apiKey: process.env.ANTHROPIC_BACKUP_KEY, provider: 'anthropic', priority: 1 },
  ],
});
await fetch.router.close(); await fetch.router.close({ graceMs: 100 }); await fetch.router.flush();
fetch.router.subscribe((e) => {}); fetch.router.health();
const client = new OpenAI({ apiKey: 'unused', fetch, maxRetries: 0 });
const response = await client.responses.create({ model: 'gpt-4.1', input: 'Hi' });
console.log(response.output_text);
for await (const event of await client.responses.create({ model: 'gpt-4.1', input: 'Hi', stream: true })) {
  if (event.type === 'response.output_text.delta') process.stdout.write(event.delta);
}
const completion = await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Hi' }] });
const claude = new Anthropic({ apiKey: 'unused', fetch, maxRetries: 0 });
const message = await claude.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Hi' }] });
const streamed = await claude.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Hi' }] }).finalMessage();
const openai = createOpenAI({ apiKey: 'unused', fetch });
const anthropic = createAnthropic({ apiKey: 'unused', fetch });
const { text } = await generateText({ model: openai('gpt-4.1'), prompt: 'Hi', maxRetries: 0 });
const result = streamText({ model: anthropic('claude-sonnet-4-5'), prompt: 'Hi', maxRetries: 0 });
for await (const part of result.textStream) process.stdout.write(part);
const g = globalThis as any; g.detourFetch ??= createFetch({ endpoints: [] as any });
const f2 = createFetch({ endpoints: [{ name: 'a', baseUrl: 'https://x/v1' }] }, { tracer: false });
import { agentOptionsSchema } from '@detour/node/schemas';
import { createUndiciTransport, RouterClosedError, InvalidOptionsError } from '@detour/node';
const f3 = createFetch({ endpoints: [{ name: 'a', baseUrl: 'https://x/v1' }], agent: { connections: 10, connectTimeoutMs: 10000, keepAliveTimeoutMs: 4000, bodyIdleTimeoutMs: 300000, proxy: false } });
