import { maxModelNameLength } from '../apis/model-name';
import { InvalidOptionsError } from '../errors/invalid-options-error';
import { defaultPriceTable, type ModelPrice } from './price-table';
import { pricesRule } from '../options/option-rules';
import { validate } from '../options/rules';
import { toIssues } from '../options/to-issues';
import type { Usage } from './usage';

/** Looks up prices and turns usage into USD. */
export interface PriceBook {
  /**
   * The price row for a model: exact name, then a dated or suffixed variant of a known one (`gpt-4.1-2025-04-14`);
   * for a name with a vendor prefix (`openai/gpt-4.1`), the same for the whole name, then for the name after the
   * last `/`.
   */
  priceOf(model: string): ModelPrice | undefined;
  /** USD for a usage on a model; undefined when the model has no price. */
  costOf(model: string, usage: Usage): number | undefined;
}

// A part of a count, clamped into what is left of it: a provider's inconsistent figures never price a token twice
// or a negative one. `|| 0` also covers a usage built before a field existed.
const part = (value: number, left: number): number => Math.min(Math.max(value || 0, 0), left);

/**
 * USD for a usage at one row's prices: fresh input, cache reads, 5-minute and 1-hour cache writes, and output, each
 * at its own price. Reasoning is part of output and is priced apart only when the row has `reasoningPerMTok`.
 */
export const costAt = (price: ModelPrice, usage: Usage): number => {
  const input = Math.max(usage.inputTokens || 0, 0);
  const cached = part(usage.cachedInputTokens, input);
  const write5m = part(usage.cacheWriteTokens, input - cached);
  const write1h = part(usage.cacheWrite1hTokens, input - cached - write5m);
  const fresh = input - cached - write5m - write1h;
  const output = Math.max(usage.outputTokens || 0, 0);
  const reasoning = price.reasoningPerMTok === undefined ? 0 : part(usage.reasoningTokens, output);
  return (
    fresh * price.inputPerMTok +
    cached * price.cachedInputPerMTok +
    write5m * price.cacheWrite5mPerMTok +
    write1h * price.cacheWrite1hPerMTok +
    (output - reasoning) * price.outputPerMTok +
    reasoning * (price.reasoningPerMTok ?? 0)
  ) / 1e6;
};

/**
 * Builds a price book from the built-in table plus user rows, which win over built-in ones of the same model.
 * User rows are validated (`prices[3].outputPerMTok: …`).
 */
export const createPriceBook = (overrides: readonly unknown[] = []): PriceBook => {
  // pricesSchema, compiled (options/option-rules.ts): the same checks and messages without zod's runtime.
  const parsed = validate<ModelPrice[]>(pricesRule, overrides);
  if (!parsed.success) throw new InvalidOptionsError(toIssues(parsed.error, 'prices'), 'prices');
  const byModel = new Map<string, ModelPrice>();
  for (const price of [...defaultPriceTable, ...parsed.data]) byModel.set(price.model.toLowerCase(), price);
  // Longest names first, so `gpt-4.1-mini-2025-04-14` matches gpt-4.1-mini, not gpt-4.1.
  const prefixes = [...byModel.keys()].sort((a, b) => b.length - a.length);
  const cache = new Map<string, ModelPrice | undefined>();
  const rowFor = (name: string): ModelPrice | undefined =>
    byModel.get(name) ?? prefixes.map((prefix) => (name.startsWith(`${prefix}-`) ? byModel.get(prefix) : undefined)).find(Boolean);

  const priceOf = (model: string): ModelPrice | undefined => {
    const name = model.toLowerCase();
    if (cache.has(name)) return cache.get(name);
    // The name as written first: a user's row may name a routed model (`anthropic/claude-sonnet-4.5`), and it wins
    // over the built-in row of the bare name. Then the bare name, for routers such as OpenRouter that prefix the
    // vendor (`openai/gpt-4.1`).
    const bare = name.slice(name.lastIndexOf('/') + 1);
    const found = rowFor(name) ?? (bare === name ? undefined : rowFor(bare));
    // A name no request could carry is looked up, not kept: `priceOf` is public, and each key is held for good.
    if (cache.size < 1000 && name.length <= maxModelNameLength) cache.set(name, found);
    return found;
  };

  return {
    priceOf,
    costOf: (model, usage) => {
      const price = priceOf(model);
      return price && costAt(price, usage);
    },
  };
};
