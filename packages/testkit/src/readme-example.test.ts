import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { expect, it } from 'vitest';
import { startUpstream } from '../test/http';

it('runs the README example', async () => {
  const primary = await startUpstream({ name: 'primary', script: [{ when: { nth: [1] }, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 1500 } }] });
  const client = new OpenAI({ baseURL: primary.baseUrl, apiKey: 'test', maxRetries: 0 });
  await expect(client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] })).rejects.toBeInstanceOf(OpenAI.RateLimitError);
  const reply = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
  expect(reply.choices[0]?.message.content).toBe('Hello from primary. This is a scripted reply');
  expect(primary.stats().byOutcome).toEqual({ 'rate-limit': 1, ok: 1 });
  primary.setScript([{ when: { path: '/v1/messages' }, fault: { type: 'status', status: 529 } }]);
  const claude = new Anthropic({ baseURL: primary.url, apiKey: 'test', maxRetries: 0 });
  await expect(claude.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content: 'Hi' }] })).rejects.toBeInstanceOf(Anthropic.OverloadedError);
  expect((await client.responses.create({ model: 'gpt-4o-mini', input: 'Hi' })).output_text).toMatch(/^Hello from primary\. /);
});
