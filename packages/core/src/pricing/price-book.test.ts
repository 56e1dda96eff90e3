import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionsError } from '../errors/invalid-options-error';
import { createPriceBook } from './price-book';
import { defaultPriceTable } from './price-table';
import { readUsage, type Usage } from './usage';

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

  it('prices a Responses call with cached and reasoning tokens by hand: reasoning is output, never billed twice', () => {
    // gpt-5.1: $1.25 input, $0.125 cached, $10 output per million.
    const usage = readUsage({ input_tokens: 1_000_000, input_tokens_details: { cached_tokens: 400_000 }, output_tokens: 300_000, output_tokens_details: { reasoning_tokens: 120_000 } })!;
    expect(book.costOf('gpt-5.1-2025-11-13', usage)).toBeCloseTo(0.6 * 1.25 + 0.4 * 0.125 + 0.3 * 10, 10); // $3.80
  });

  it('prices an Anthropic call with 5-minute and 1-hour writes and reads by hand', () => {
    // Sonnet 4.5: $3 input, $3.75 5-minute write, $6 1-hour write, $0.30 read, $15 output per million.
    const usage = readUsage({
      input_tokens: 100_000, cache_read_input_tokens: 2_000_000, cache_creation_input_tokens: 600_000,
      cache_creation: { ephemeral_5m_input_tokens: 400_000, ephemeral_1h_input_tokens: 200_000 }, output_tokens: 50_000,
    })!;
    expect(usage.inputTokens).toBe(2_700_000);
    expect(book.costOf('claude-sonnet-4-5-20250929', usage)).toBeCloseTo(0.1 * 3 + 2 * 0.3 + 0.4 * 3.75 + 0.2 * 6 + 0.05 * 15, 10); // $4.35
    // Opus 4.5: $5, $6.25, $10, $0.50, $25.
    expect(book.costOf('claude-opus-4-5', usage)).toBeCloseTo(0.1 * 5 + 2 * 0.5 + 0.4 * 6.25 + 0.2 * 10 + 0.05 * 25, 10); // $7.25
  });

  it('prices reasoning apart only for a row that says so', () => {
    const custom = createPriceBook([{ model: 'thinker', inputPerMTok: 1, outputPerMTok: 2, reasoningPerMTok: 5 }]);
    expect(custom.costOf('thinker', usage({ outputTokens: 1e6, reasoningTokens: 4e5 }))).toBeCloseTo(0.6 * 2 + 0.4 * 5, 10);
    expect(book.costOf('o3', usage({ outputTokens: 1e6, reasoningTokens: 4e5 }))).toBeCloseTo(8, 10);
  });

  it(`never prices a token twice when a provider's parts add up to more than the whole`, () => {
    const custom = createPriceBook([{ model: 'm', inputPerMTok: 1, cachedInputPerMTok: 0.5, cacheWrite5mPerMTok: 2, cacheWrite1hPerMTok: 4, outputPerMTok: 0 }]);
    // 1M prompt tokens claimed as 0.8M reads and 0.8M writes: the reads take 0.8M, the writes the 0.2M left.
    expect(custom.costOf('m', usage({ inputTokens: 1e6, cachedInputTokens: 8e5, cacheWriteTokens: 8e5 }))).toBeCloseTo(0.8 * 0.5 + 0.2 * 2, 10);
  });

  it('finds dated and vendor-prefixed names, preferring the longest known name', () => {
    expect(book.priceOf('gpt-4.1-mini-2025-04-14')?.model).toBe('gpt-4.1-mini');
    expect(book.priceOf('openai/gpt-4.1')?.model).toBe('gpt-4.1');
    expect(book.priceOf('mystery-model')).toBeUndefined();
  });

  it('lets user rows override built-in ones and add new models', () => {
    const custom = createPriceBook([{ model: 'gpt-4.1', inputPerMTok: 1, outputPerMTok: 1 }, { model: 'my-llama', inputPerMTok: 0.1, outputPerMTok: 0.2 }]);
    expect(custom.costOf('gpt-4.1', usage({ inputTokens: 1e6, outputTokens: 1e6 }))).toBe(2);
    expect(custom.priceOf('my-llama')).toMatchObject({ cachedInputPerMTok: 0.1, cacheWrite5mPerMTok: 0.1, cacheWrite1hPerMTok: 0.1 });
    expect(custom.priceOf('my-llama')?.reasoningPerMTok).toBeUndefined();
  });

  it('uses a user row that names a routed model with its vendor prefix, over the built-in row of the bare name', () => {
    const custom = createPriceBook([{ model: 'azure/gpt-4.1', inputPerMTok: 99, outputPerMTok: 99 }, { model: 'anthropic/claude-sonnet-4.5', inputPerMTok: 3, outputPerMTok: 15 }]);
    expect(custom.costOf('azure/gpt-4.1', usage({ inputTokens: 1e6, outputTokens: 1e6 }))).toBe(198);
    expect(custom.priceOf('Anthropic/Claude-Sonnet-4.5')?.outputPerMTok).toBe(15);
    expect(custom.priceOf('anthropic/claude-sonnet-4.5-20250929')?.model).toBe('anthropic/claude-sonnet-4.5');
    // Other prefixes still fall back to the bare name's row.
    expect(custom.priceOf('openai/gpt-4.1')?.inputPerMTok).toBe(2);
  });

  it('tells a flash-lite model from its flash namesake, and a newer Claude from an older row', () => {
    expect(book.priceOf('gemini-2.5-flash-lite')?.inputPerMTok).toBe(0.1);
    expect(book.priceOf('claude-opus-4-5-20251101')?.inputPerMTok).toBe(5);
    expect(book.priceOf('claude-opus-4-1-20250805')?.inputPerMTok).toBe(15);
  });

  it('rejects bad rows with the path of the bad field', () => {
    expect(() => createPriceBook([{ model: 'x', inputPerMTok: 1, outputPerMTok: -1 }])).toThrow(InvalidOptionsError);
    expect(() => createPriceBook([{ model: 'x', inputPerMTok: 1, outputPerMTok: -1 }])).toThrow(/prices\[0\]\.outputPerMTok/);
    expect(() => createPriceBook([{ model: 'x', inputPerMTok: 1, outputPerMTok: 1, cacheWrite1hPerMTok: -2 }])).toThrow(
      /prices\[0\]\.cacheWrite1hPerMTok: expected a price in USD per million tokens, 0 or more/,
    );
    expect(() => createPriceBook([{ model: 'x', inputPerMTok: '3', outputPerMTok: 1 }])).toThrow(/prices\[0\]\.inputPerMTok: expected a price in USD per million tokens \(a number\)/);
    // Month 13 and day 45 were accepted: only the shape was checked (the twelfth attack).
    for (const date of ['2026-13-01', '2026-12-45', '2026-00-10', '2026/11/01']) {
      expect(() => createPriceBook([{ model: 'x', inputPerMTok: 1, outputPerMTok: 1, date }])).toThrow(/prices\[0\]\.date: expected a date, YYYY-MM-DD/);
    }
    expect(createPriceBook([{ model: 'x', inputPerMTok: 1, outputPerMTok: 1, date: '2026-12-31' }]).priceOf('x')?.date).toBe('2026-12-31');
    expect(() => createPriceBook([{ model: 'x', inputPerMTok: 1, outputPerMTok: 1, cacheWrite5m: 2 }])).toThrow(/unknown key "cacheWrite5m"/);
    // A price that would make a cost Infinity (1e308 per million tokens) is not a price.
    expect(() => createPriceBook([{ model: 'x', inputPerMTok: 1, outputPerMTok: 1e308 }])).toThrow(/prices\[0\]\.outputPerMTok: expected a price in USD per million tokens, at most 100000/);
  });

  it('has a source and date on every built-in row, and never prices output as a multiple of input by rule', () => {
    for (const row of defaultPriceTable) {
      expect(row.source).toMatch(/^https:\/\//);
      expect(row.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it(`carries Anthropic's published write prices, and the input price as the write price elsewhere`, () => {
    for (const row of defaultPriceTable) {
      if (row.model.startsWith('claude-')) {
        expect(row.cacheWrite5mPerMTok).toBeCloseTo(row.inputPerMTok * 1.25, 10);
        expect(row.cacheWrite1hPerMTok).toBeCloseTo(row.inputPerMTok * 2, 10);
      } else {
        expect([row.cacheWrite5mPerMTok, row.cacheWrite1hPerMTok]).toEqual([row.inputPerMTok, row.inputPerMTok]);
      }
    }
  });

  it('never charges less as tokens rise, whatever the split between fresh, cached and written tokens', () => {
    const tokens = fc.nat(10_000_000);
    fc.assert(
      fc.property(fc.constantFrom(...defaultPriceTable.map((row) => row.model)), tokens, tokens, tokens, tokens, tokens, fc.nat(1000), (model, input, read, write5m, write1h, output, extra) => {
        const parts = { cachedInputTokens: read, cacheWriteTokens: write5m, cacheWrite1hTokens: write1h };
        const base = book.costOf(model, usage({ inputTokens: input, outputTokens: output, ...parts }))!;
        const more = book.costOf(model, usage({ inputTokens: input + extra, outputTokens: output + extra, ...parts }))!;
        return more >= base && base >= 0;
      }),
    );
  });
});
