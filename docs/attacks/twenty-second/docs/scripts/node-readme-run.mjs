// packages/node/README.md 14-80 (+ close at 35-36), endpoints pointed at testkit chaos upstreams; claims checked at runtime
import { createFetch } from '@detour/node';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText } from 'ai';
import { startChaosUpstream } from '@detour/testkit';
const up = {}; for (const n of ['openai', 'openrouter', 'anthropic', 'anthropicb']) up[n] = await startChaosUpstream({ name: n });
const fetch = createFetch({
  endpoints: [
    { name: 'openai', baseUrl: up.openai.baseUrl, apiKey: 'sk-openai-0123456789', provider: 'openai', priority: 0 },
    { name: 'openrouter', baseUrl: up.openrouter.baseUrl, apiKey: 'sk-or-0123456789abc',
      provider: 'openrouter', apis: ['chat', 'responses'], models: { 'gpt-4.1': 'openai/gpt-4.1' }, priority: 1 },
    { name: 'anthropic', baseUrl: up.anthropic.url + '/v1', apiKey: 'sk-ant-0123456789', provider: 'anthropic', priority: 0 },
    { name: 'anthropic-backup', baseUrl: up.anthropicb.url + '/v1', apiKey: 'sk-ant-b0123456789', provider: 'anthropic', priority: 1 },
  ],
});
const o = fetch.router.options;
console.log('defaults: firstByteTimeoutMs', o.firstByteTimeoutMs, 'streamIdleTimeoutMs', o.streamIdleTimeoutMs, 'bodyIdleTimeoutMs', o.bodyIdleTimeoutMs,
  'deadlineMs', o.deadlineMs, 'maxAttempts', o.maxAttempts, 'maxServerDelayMs', o.maxServerDelayMs, 'maxRequestBytes', o.maxRequestBytes, 'maxResponseBytes', o.maxResponseBytes,
  'rescue', JSON.stringify(o.rescue), 'streamDeadline', o.streamDeadline, 'streamUsage', o.streamUsage);
console.log('breaker', JSON.stringify(o.breaker)); console.log('cooldown', JSON.stringify(o.cooldown)); console.log('retryBudget', JSON.stringify(o.retryBudget));
console.log('admission', JSON.stringify(o.admission));
up.openai.setScript([{ fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 5000 } }]);
const client = new OpenAI({ apiKey: 'unused', fetch, maxRetries: 0 });
const response = await client.responses.create({ model: 'gpt-4.1', input: 'Hi' });
console.log('responses:', response.output_text);
process.stdout.write('responses stream: ');
for await (const event of await client.responses.create({ model: 'gpt-4.1', input: 'Hi', stream: true })) {
  if (event.type === 'response.output_text.delta') process.stdout.write(event.delta);
}
console.log();
const { data: completion, response: raw } = await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Hi' }] }).withResponse();
console.log('chat:', completion.choices[0].message.content, [...raw.headers].filter(([k]) => k.startsWith('x-detour')));
console.log('openrouter saw model:', up.openrouter.requests?.().at?.(-1)?.model ?? JSON.stringify(up.openrouter.stats().byModel ?? {}));
up.anthropic.setScript([{ fault: { type: 'status', status: 529 } }]);
const claude = new Anthropic({ apiKey: 'unused', fetch, maxRetries: 0 });
const message = await claude.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Hi' }] });
const streamed = await claude.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Hi' }] }).finalMessage();
console.log('claude:', message.content[0].text, '| stream:', streamed.content[0].text);
const openai = createOpenAI({ apiKey: 'unused', fetch });
const anthropic = createAnthropic({ apiKey: 'unused', fetch });
const { text } = await generateText({ model: openai('gpt-4.1'), prompt: 'Hi', maxRetries: 0 });
const result = streamText({ model: anthropic('claude-sonnet-4-5'), prompt: 'Hi', maxRetries: 0 });
let s = ''; for await (const part of result.textStream) s += part;
console.log('ai-sdk:', text, '|', s);
// every endpoint cooling -> 503 + Retry-After + x-detour-error + x-should-retry
up.openrouter.setScript([{ fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 5000 } }]);
const r1 = await fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x' }] }) });
const r2 = await fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x' }] }) });
for (const r of [r1, r2]) console.log('all cooling:', r.status, r.headers.get('retry-after'), r.headers.get('x-detour-error'), r.headers.get('x-should-retry'), (await r.text()).slice(0, 160));
await fetch.router.close();
const r3 = await fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [] }) }).catch((e) => e);
console.log('after close:', r3.status ?? r3.name, r3.headers?.get('x-detour-error'), r3.status ? (await r3.text()).slice(0, 160) : r3.message);
for (const u of Object.values(up)) await u.close();
