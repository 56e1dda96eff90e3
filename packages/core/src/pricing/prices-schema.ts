import * as z from 'zod/mini';
import { fillPriceDefaults } from './fill-price-defaults';

// The dearest published price is a few hundred USD per million tokens. A bound far above it keeps every cost finite
// (a row at 1e308 priced a billion tokens at Infinity, which reached `x-detour-cost-usd`).
const usdPerMillion = z.number('expected a price in USD per million tokens (a number)').check(
  z.nonnegative('expected a price in USD per million tokens, 0 or more'),
  z.lte(100_000, 'expected a price in USD per million tokens, at most 100000'),
);

/**
 * One user-supplied price row. Omitted prices default to the input price: `cachedInputPerMTok`,
 * `cacheWrite5mPerMTok` and `cacheWrite1hPerMTok` (so a provider that bills no cache write is priced right, and a
 * row written for Anthropic must say its 1.25× and 2× write prices); `reasoningPerMTok` is left out, which prices
 * reasoning as output.
 */
export const priceSchema = z.pipe(
  z.strictObject({
    model: z.string('expected a model name').check(z.minLength(1, 'expected a model name, not an empty string')),
    inputPerMTok: usdPerMillion,
    cachedInputPerMTok: z.optional(usdPerMillion),
    cacheWrite5mPerMTok: z.optional(usdPerMillion),
    cacheWrite1hPerMTok: z.optional(usdPerMillion),
    outputPerMTok: usdPerMillion,
    reasoningPerMTok: z.optional(usdPerMillion),
    source: z._default(z.string('expected a string saying where the prices come from'), 'user'),
    date: z._default(z.string('expected a date, YYYY-MM-DD').check(z.regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected a date, YYYY-MM-DD')), '1970-01-01'),
  }),
  z.transform(fillPriceDefaults),
);

/** A list of price rows. */
export const pricesSchema = z.array(priceSchema, 'expected a list of price rows');
