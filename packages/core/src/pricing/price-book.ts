import { InvalidOptionsError } from '../errors/invalid-options-error';
import { defaultPriceTable, type ModelPrice } from './price-table';
import { pricesSchema } from './prices-schema';
import { toIssues } from '../options/to-issues';
import type { Usage } from './usage';

/** Looks up prices and turns usage into USD. */
export interface PriceBook {
  /** The price row for a model: exact name, then a dated or suffixed variant of a known one (`gpt-4.1-2025-04-14`). */
  priceOf(model: string): ModelPrice | undefined;
  /** USD for a usage on a model; undefined when the model has no price. */
  costOf(model: string, usage: Usage): number | undefined;
}

/**
 * Builds a price book from the built-in table plus user rows, which win over built-in ones of the same model.
 * User rows are validated (`prices[3].outputPerMTok: …`).
 */
export const createPriceBook = (overrides: readonly unknown[] = []): PriceBook => {
  const parsed = pricesSchema.safeParse(overrides);
  if (!parsed.success) throw new InvalidOptionsError(toIssues(parsed.error, 'prices'), 'prices');
  const byModel = new Map<string, ModelPrice>();
  for (const price of [...defaultPriceTable, ...parsed.data]) byModel.set(price.model.toLowerCase(), price);
  // Longest names first, so `gpt-4.1-mini-2025-04-14` matches gpt-4.1-mini, not gpt-4.1.
  const prefixes = [...byModel.keys()].sort((a, b) => b.length - a.length);
  const cache = new Map<string, ModelPrice | undefined>();

  const priceOf = (model: string): ModelPrice | undefined => {
    const name = model.toLowerCase();
    if (cache.has(name)) return cache.get(name);
    // Routers such as OpenRouter prefix the vendor: `openai/gpt-4.1`.
    const bare = name.slice(name.lastIndexOf('/') + 1);
    const found = byModel.get(bare) ?? prefixes.map((prefix) => (bare.startsWith(`${prefix}-`) ? byModel.get(prefix) : undefined)).find(Boolean);
    if (cache.size < 1000) cache.set(name, found);
    return found;
  };

  return {
    priceOf,
    costOf: (model, usage) => {
      const price = priceOf(model);
      if (!price) return undefined;
      const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
      const uncached = usage.inputTokens - cached;
      return (uncached * price.inputPerMTok + cached * price.cachedInputPerMTok + usage.outputTokens * price.outputPerMTok) / 1e6;
    },
  };
};
