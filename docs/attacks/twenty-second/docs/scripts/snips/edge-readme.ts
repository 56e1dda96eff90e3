import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText } from 'ai';
import { createFetch, openTelemetryTracer } from '@detour/edge';
import * as api from '@opentelemetry/api';
declare const OPENAI_KEY: string, GROQ_KEY: string, ANTHROPIC_KEY: string, ANTHROPIC_BACKUP_KEY: string;
const detourFetch = createFetch({
  endpoints: [
    { name: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: OPENAI_KEY, priority: 0 },
    { name: 'groq', baseUrl: 'https://api.groq.com/openai/v1', apiKey: GROQ_KEY, provider: 'groq', priority: 1,
      models: { 'gpt-4.1': 'llama-3.3-70b-versatile' } },
  ],
});
export const w1 = {
  async fetch(request: Request) {
    const openai = new OpenAI({ apiKey: 'unused', fetch: detourFetch, maxRetries: 0 });
    const stream = await openai.chat.completions.create({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'Hi' }] });
    return new Response(stream.toReadableStream());
  },
};
const claudeAndGpt = createFetch({
  endpoints: [
    { name: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: OPENAI_KEY, provider: 'openai', apis: ['chat', 'responses'] },
    { name: 'anthropic', baseUrl: 'https://api.anthropic.com/v1', apiKey: ANTHROPIC_KEY, provider: 'anthropic', priority: 0 },
    { name: 'anthropic-backup', baseUrl: 'https://api.anthropic.com/v1', apiKey: ANTHROPIC_BACKUP_KEY, provider: 'anthropic', priority: 1 },
  ],
});
export default {
  async fetch(request: Request) {
    const claude = new Anthropic({ apiKey: 'unused', fetch: claudeAndGpt, maxRetries: 0 });
    const stream = claude.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Hi' }] });
    const message = await stream.finalMessage();
    const { text } = await generateText({ model: createOpenAI({ apiKey: 'unused', fetch: claudeAndGpt })('gpt-4.1'), prompt: 'Hi', maxRetries: 0 });
    const reply = await generateText({ model: createAnthropic({ apiKey: 'unused', fetch: claudeAndGpt })('claude-sonnet-4-5'), prompt: 'Hi', maxRetries: 0 });
    return Response.json({ claude: message.content, openai: text, anthropic: reply.text });
  },
};
const t = createFetch({ endpoints: [{ name: 'a', baseUrl: 'https://x/v1' }] }, { tracer: openTelemetryTracer(api) });
declare const someStore: any;
const s = createFetch({ endpoints: [{ name: 'a', baseUrl: 'https://x/v1' }] }, { store: someStore });
const ff = createFetch({ endpoints: [{ name: 'a', baseUrl: 'https://x/v1' }], fetch: globalThis.fetch });
