/** The prices a user row may leave out, each defaulting to the input price. */
interface PriceRow {
  readonly inputPerMTok: number;
  readonly cachedInputPerMTok?: number | undefined;
  readonly cacheWrite5mPerMTok?: number | undefined;
  readonly cacheWrite1hPerMTok?: number | undefined;
}

/**
 * Fills a user price row's omitted cache prices with its input price (a provider that bills no cache write is then
 * priced right). Kept apart from the schema so the compiled rules (options/option-rules.ts) run it too.
 */
export const fillPriceDefaults = <T extends PriceRow>(price: T) => ({
  ...price,
  cachedInputPerMTok: price.cachedInputPerMTok ?? price.inputPerMTok,
  cacheWrite5mPerMTok: price.cacheWrite5mPerMTok ?? price.inputPerMTok,
  cacheWrite1hPerMTok: price.cacheWrite1hPerMTok ?? price.inputPerMTok,
});
