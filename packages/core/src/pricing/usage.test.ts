import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeAnthropicUsage, readUsage } from './usage';

const none = { cacheWriteTokens: 0, cacheWrite1hTokens: 0, reasoningTokens: 0 };

describe('readUsage', () => {
  it('reads chat completion usage with cached and reasoning tokens', () => {
    expect(readUsage({ prompt_tokens: 100, completion_tokens: 20, prompt_tokens_details: { cached_tokens: 60 } })).toEqual({ ...none, inputTokens: 100, cachedInputTokens: 60, outputTokens: 20 });
    expect(readUsage({ prompt_tokens: 10, completion_tokens: 50, completion_tokens_details: { reasoning_tokens: 40 } })?.reasoningTokens).toBe(40);
  });

  it('reads Anthropic usage, whose cache reads and writes sit outside input_tokens', () => {
    expect(readUsage({ input_tokens: 10, cache_read_input_tokens: 90, output_tokens: 5 })).toEqual({ ...none, inputTokens: 100, cachedInputTokens: 90, outputTokens: 5 });
  });

  it('splits Anthropic cache writes by lifetime, and counts unsplit writes as 5-minute ones', () => {
    const split = { input_tokens: 10, cache_creation_input_tokens: 300, cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 }, output_tokens: 1 };
    expect(readUsage(split)).toMatchObject({ inputTokens: 310, cacheWriteTokens: 100, cacheWrite1hTokens: 200 });
    expect(readUsage({ input_tokens: 10, cache_creation_input_tokens: 300, output_tokens: 1 })).toMatchObject({ inputTokens: 310, cacheWriteTokens: 300, cacheWrite1hTokens: 0 });
    // A total the split does not explain is kept, as 5-minute writes, rather than dropped.
    const partial = { input_tokens: 0, cache_creation_input_tokens: 300, cache_creation: { ephemeral_1h_input_tokens: 200 } };
    expect(readUsage(partial)).toMatchObject({ inputTokens: 300, cacheWriteTokens: 100, cacheWrite1hTokens: 200 });
  });

  it('reads DeepSeek cache hits and the Responses API shape with reasoning', () => {
    expect(readUsage({ prompt_tokens: 50, prompt_cache_hit_tokens: 30, completion_tokens: 1 })?.cachedInputTokens).toBe(30);
    const responses = { input_tokens: 50, input_tokens_details: { cached_tokens: 20 }, output_tokens: 30, output_tokens_details: { reasoning_tokens: 25 } };
    expect(readUsage(responses)).toEqual({ ...none, inputTokens: 50, cachedInputTokens: 20, outputTokens: 30, reasoningTokens: 25 });
  });

  it('returns undefined without usage', () => {
    expect(readUsage(null)).toBeUndefined();
    expect(readUsage({})).toBeUndefined();
  });

  it('does not read a usage with a count no response can have: the attempt is then estimated, never priced at $0', () => {
    expect(readUsage({ prompt_tokens: 1e15, completion_tokens: 1e308 })).toBeUndefined();
    expect(readUsage({ input_tokens: 1e10, cache_read_input_tokens: 5, output_tokens: 3 })).toBeUndefined();
    expect(readUsage({ prompt_tokens: 12, completion_tokens: Number.POSITIVE_INFINITY })).toBeUndefined();
    expect(readUsage({ prompt_tokens: -5, completion_tokens: 3 })).toBeUndefined();
    expect(readUsage({ prompt_tokens: '12', completion_tokens: 3 })).toBeUndefined();
    // Each part within bounds, the prompt they add up to not: one answer must not book billions of tokens.
    expect(readUsage({ input_tokens: 1e9, cache_read_input_tokens: 1e9, cache_creation_input_tokens: 1e9, output_tokens: 1e9 })).toBeUndefined();
    // Null, or absent, is "not reported", not a lie.
    expect(readUsage({ input_tokens: 10, cache_creation_input_tokens: null, cache_read_input_tokens: null, output_tokens: 4 })).toMatchObject({ inputTokens: 10, outputTokens: 4 });
    expect(readUsage({ prompt_tokens: 2_000_000, completion_tokens: 64 })).toMatchObject({ inputTokens: 2_000_000, outputTokens: 64 });
  });

  it('never returns a part larger than its whole, or a negative count, whatever the numbers', () => {
    const value = fc.oneof(fc.integer({ min: -10, max: 1e7 }), fc.double(), fc.constant(null), fc.string());
    fc.assert(
      fc.property(fc.record({ input_tokens: value, cache_read_input_tokens: value, cache_creation_input_tokens: value, output_tokens: value, output_tokens_details: fc.record({ reasoning_tokens: value }) }), (fields) => {
        const read = readUsage(fields);
        if (read === undefined) return true;
        const parts = read.cachedInputTokens + read.cacheWriteTokens + read.cacheWrite1hTokens;
        return parts <= read.inputTokens && read.reasoningTokens <= read.outputTokens && Object.values(read).every((count) => count >= 0);
      }),
    );
  });
});

describe('mergeAnthropicUsage', () => {
  it(`lets message_delta's counts win and keeps what it leaves out or nulls`, () => {
    const start = { input_tokens: 10, cache_read_input_tokens: 5, output_tokens: 1 };
    expect(mergeAnthropicUsage(start, { output_tokens: 40, cache_read_input_tokens: null })).toEqual({ input_tokens: 10, cache_read_input_tokens: 5, output_tokens: 40 });
  });

  it('copies only usage fields, so hostile keys never reach a prototype', () => {
    const merged = mergeAnthropicUsage(undefined, JSON.parse('{"__proto__":{"polluted":1},"output_tokens":3}'));
    expect(merged).toEqual({ output_tokens: 3 });
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
  });
});
