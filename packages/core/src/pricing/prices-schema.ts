import * as z from 'zod/mini';

const usdPerMillion = z.number().check(z.nonnegative());

/** One user-supplied price row. `cachedInputPerMTok` defaults to the input price. */
export const priceSchema = z.pipe(
  z.strictObject({
    model: z.string().check(z.minLength(1)),
    inputPerMTok: usdPerMillion,
    cachedInputPerMTok: z.optional(usdPerMillion),
    outputPerMTok: usdPerMillion,
    source: z._default(z.string(), 'user'),
    date: z._default(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')), '1970-01-01'),
  }),
  z.transform((price) => ({ ...price, cachedInputPerMTok: price.cachedInputPerMTok ?? price.inputPerMTok })),
);

/** A list of price rows. */
export const pricesSchema = z.array(priceSchema);
