import { z } from 'zod';

const usdPerMillion = z.number().finite().nonnegative();

/** One user-supplied price row. `cachedInputPerMTok` defaults to the input price. */
export const priceSchema = z
  .object({
    model: z.string().min(1),
    inputPerMTok: usdPerMillion,
    cachedInputPerMTok: usdPerMillion.optional(),
    outputPerMTok: usdPerMillion,
    source: z.string().default('user'),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD').default('1970-01-01'),
  })
  .strict()
  .transform((price) => ({ ...price, cachedInputPerMTok: price.cachedInputPerMTok ?? price.inputPerMTok }));

/** A list of price rows. */
export const pricesSchema = z.array(priceSchema);
