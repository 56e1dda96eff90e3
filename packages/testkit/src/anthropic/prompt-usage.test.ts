import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PromptCache } from './prompt-cache';
import { promptUsage } from './prompt-usage';

const block = fc.record({ text: fc.string({ maxLength: 200 }), cached: fc.boolean(), hour: fc.boolean() });
const bodyOf = (blocks: { text: string; cached: boolean; hour: boolean }[]) => ({
  model: 'm',
  messages: [
    {
      role: 'user',
      content: blocks.map(({ text, cached, hour }) => ({
        type: 'text',
        text,
        ...(cached ? { cache_control: { type: 'ephemeral', ...(hour ? { ttl: '1h' } : {}) } } : {}),
      })),
    },
  ],
});

describe('promptUsage', () => {
  it('splits the same total however much is cached, and never reports a negative figure', () => {
    fc.assert(
      fc.property(fc.array(block, { maxLength: 6 }), fc.array(block, { maxLength: 6 }), (earlier, later) => {
        const cache = new PromptCache(() => 0);
        promptUsage(bodyOf(earlier), cache).commit();
        const body = bodyOf(later);
        const usage = promptUsage(body, cache);
        const chars = later.reduce((sum, item) => sum + item.text.length, 0);
        const figures = [usage.inputTokens, usage.cacheCreationInputTokens, usage.cacheReadInputTokens];
        expect(figures.every((figure) => figure >= 0)).toBe(true);
        expect(figures.reduce((sum, figure) => sum + figure, 0)).toBe(Math.max(1, Math.ceil(chars / 4)));
        const { ephemeral_5m_input_tokens: fiveMinutes, ephemeral_1h_input_tokens: oneHour } = usage.cacheCreation;
        expect(fiveMinutes + oneHour).toBe(usage.cacheCreationInputTokens);
      }),
    );
  });

  it('reads everything up to the last breakpoint on an identical repeat', () => {
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 6 }), (blocks) => {
        const cache = new PromptCache(() => 0);
        const first = promptUsage(bodyOf(blocks), cache);
        first.commit();
        const repeat = promptUsage(bodyOf(blocks), cache);
        expect(repeat.cacheCreationInputTokens).toBe(0);
        expect(repeat.cacheReadInputTokens).toBe(first.cacheCreationInputTokens);
        expect(repeat.inputTokens).toBe(first.inputTokens);
      }),
    );
  });
});
