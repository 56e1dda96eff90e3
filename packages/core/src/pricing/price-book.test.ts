import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionsError } from '../errors/invalid-options-error';
import { createPriceBook } from './price-book';
import { defaultPriceTable } from './price-table';
import type { Usage } from './usage';

const usage = (counts: Partial<Usage>): Usage => ({
  inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, outputTokens: 0, reasoningTokens: 0, ...counts,
});

describe('pricing', () => {
  const book = createPriceBook();

  it('prices input, cached input and output from their own columns', () => {
    // gpt-4.1: $2 input, $0.50 cached, $8 output per million.
    const cost = book.costOf('gpt-4.1', usage({ inputTokens: 1_000_000, cachedInputTokens: 400_000, outputTokens: 100_000 }));
    expect(cost).toBeCloseTo(0.6 * 2 + 0.4 * 0.5 + 0.1 * 8, 10);
  });

  it('finds dated and vendor-prefixed names, preferring the longest known name', () => {
    expect(book.priceOf('gpt-4.1-mini-2025-04-14')?.model).toBe('gpt-4.1-mini');
    expect(book.priceOf('openai/gpt-4.1')?.model).toBe('gpt-4.1');
    expect(book.priceOf('mystery-model')).toBeUndefined();
  });

  it('lets user rows override built-in ones and add new models', () => {
    const custom = createPriceBook([{ model: 'gpt-4.1', inputPerMTok: 1, outputPerMTok: 1 }, { model: 'my-llama', inputPerMTok: 0.1, outputPerMTok: 0.2 }]);
    expect(custom.costOf('gpt-4.1', usage({ inputTokens: 1e6, outputTokens: 1e6 }))).toBe(2);
    expect(custom.priceOf('my-llama')?.cachedInputPerMTok).toBe(0.1);
  });

  it('rejects bad rows with the path of the bad field', () => {
    expect(() => createPriceBook([{ model: 'x', inputPerMTok: 1, outputPerMTok: -1 }])).toThrow(InvalidOptionsError);
    expect(() => createPriceBook([{ model: 'x', inputPerMTok: 1, outputPerMTok: -1 }])).toThrow(/prices\[0\]\.outputPerMTok/);
  });

  it('has a source and date on every built-in row, and never prices output as a multiple of input by rule', () => {
    for (const row of defaultPriceTable) {
      expect(row.source).toMatch(/^https:\/\//);
      expect(row.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('never charges less as tokens rise', () => {
    const tokens = fc.nat(10_000_000);
    fc.assert(
      fc.property(fc.constantFrom(...defaultPriceTable.map((row) => row.model)), tokens, tokens, tokens, fc.nat(1000), (model, input, cachedShare, output, extra) => {
        const cached = Math.min(cachedShare, input);
        const base = book.costOf(model, usage({ inputTokens: input, cachedInputTokens: cached, outputTokens: output }))!;
        const more = book.costOf(model, usage({ inputTokens: input + extra, cachedInputTokens: cached, outputTokens: output + extra }))!;
        return more >= base && base >= 0;
      }),
    );
  });
});
