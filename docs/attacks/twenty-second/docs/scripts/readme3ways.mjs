// README.md lines 50-68, base URLs pointed at testkit chaos upstreams (openai, groq, claude, claude-2); claude primary answers 429
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { createFetch } from '@detour/node';
import { startChaosUpstream } from '@detour/testkit';
import { createOpenAI } from '@ai-sdk/openai';
import { createAnthropic } from '@ai-sdk/anthropic';
import { generateText } from 'ai';
const up = {};
for (const n of ['openai', 'groq', 'claude', 'claude2']) up[n] = await startChaosUpstream({ name: n });
up.claude.setScript([{ fault: { type: 'rate-limit', dialect: 'anthropic', retryAfterMs: 5000 } }]);
const fetch = createFetch({ endpoints: [
  { name: 'openai', baseUrl: up.openai.baseUrl, apiKey: 'k1', priority: 0 },
  { name: 'groq', baseUrl: up.groq.baseUrl, apiKey: 'k2', provider: 'groq',
    apis: ['chat'], priority: 1, models: { 'gpt-4.1-mini': 'llama-3.3-70b-versatile' } },
  { name: 'claude', baseUrl: up.claude.url + '/v1', apiKey: 'k3', provider: 'anthropic', priority: 0 },
  { name: 'claude-2', baseUrl: up.claude2.url + '/v1', apiKey: 'k4', provider: 'anthropic', priority: 1 },
] });
const openai = new OpenAI({ apiKey: 'unused', maxRetries: 0, fetch });
const r = await openai.responses.create({ model: 'gpt-4.1-mini', input: 'Hi' }).withResponse();
console.log('responses:', r.data.output_text, r.response.headers.get('x-detour-endpoint'));
const c = await openai.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }] });
console.log('chat:', c.choices[0].message.content);
const e = await openai.embeddings.create({ model: 'text-embedding-3-small', input: 'Hi' });
console.log('embeddings:', e.data[0].embedding.length);
const claude = new Anthropic({ apiKey: 'unused', maxRetries: 0, fetch });
const m = await claude.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Hi' }] }).withResponse();
console.log('messages:', m.data.content[0].text, m.response.headers.get('x-detour-endpoint'), m.response.headers.get('x-detour-attempts'));
const a = await generateText({ model: createOpenAI({ fetch, apiKey: 'unused' })('gpt-4.1'), prompt: 'Hi', maxRetries: 0 });
console.log('ai-sdk openai:', a.text);
const b = await generateText({ model: createAnthropic({ fetch, apiKey: 'unused' })('claude-sonnet-4-5'), prompt: 'Hi', maxRetries: 0 });
console.log('ai-sdk anthropic:', b.text);
const models = await openai.models.list(); console.log('models.list:', models.data.length);
for (const u of Object.values(up)) console.log(u.name ?? '', JSON.stringify(u.stats().byOutcome), JSON.stringify(u.stats().byPath ?? ''));
for (const u of Object.values(up)) await u.close();
