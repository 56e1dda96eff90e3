import { createOpenAI } from '@ai-sdk/openai';
import { startChaosUpstream, type ChaosUpstream } from '@detour/testkit';
import { generateText, streamText } from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetch, type NodeDetourFetch } from '../src/index';

const upstreams: ChaosUpstream[] = [];
let detourFetch: NodeDetourFetch | undefined;
afterEach(async () => {
  await detourFetch?.router.close();
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

const pair = async () => {
  const primary = await startChaosUpstream({ name: 'primary', script: [{ fault: { type: 'rate-limit', dialect: 'groq', retryAfterMs: 10_000 } }] });
  const backup = await startChaosUpstream({ name: 'backup' });
  upstreams.push(primary, backup);
  detourFetch = createFetch({
    endpoints: [
      { name: 'primary', baseUrl: primary.baseUrl, apiKey: 'sk-primary', priority: 0 },
      { name: 'backup', baseUrl: backup.baseUrl, apiKey: 'sk-backup', priority: 1 },
    ],
  });
  return { primary, backup, provider: createOpenAI({ apiKey: 'caller-key', fetch: detourFetch }) };
};

describe('createFetch with the Vercel AI SDK', () => {
  it('generates text through the backup when the primary throttles', async () => {
    const { provider, primary } = await pair();
    const { text } = await generateText({ model: provider.chat('gpt-4.1'), prompt: 'Say hello', maxRetries: 0 });
    expect(text).toContain('backup');
    expect(primary.stats().total).toBe(1);
  });

  it('streams text through the backup when the primary throttles', async () => {
    const { provider } = await pair();
    const result = streamText({ model: provider.chat('gpt-4.1'), prompt: 'Say hello', maxRetries: 0 });
    let text = '';
    for await (const part of result.textStream) text += part;
    expect(text).toContain('backup');
    expect((await result.usage).outputTokens).toBeGreaterThan(0);
  });
});
