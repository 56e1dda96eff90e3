/** One model's list prices in USD per million tokens, with where and when they were read. */
export interface ModelPrice {
  /** The model name, matched case-insensitively, also as the stem of dated or suffixed names. */
  readonly model: string;
  /** Price of fresh prompt tokens: neither read from nor written to a cache. */
  readonly inputPerMTok: number;
  /** Price of prompt tokens served from the provider's cache; the input price when the provider has none. */
  readonly cachedInputPerMTok: number;
  /**
   * Price of prompt tokens written to the cache with the default lifetime (Anthropic: 5 minutes, 1.25× input).
   * The input price where writes cost nothing extra (OpenAI, Gemini's implicit caching).
   */
  readonly cacheWrite5mPerMTok: number;
  /** Price of prompt tokens written to the cache with Anthropic's 1-hour lifetime (2× input); else the input price. */
  readonly cacheWrite1hPerMTok: number;
  /** Price of every generated token, reasoning included. */
  readonly outputPerMTok: number;
  /**
   * Price of reasoning tokens, for a provider that bills them apart from the answer; they are then priced here and
   * the rest of the output at `outputPerMTok`. Undefined (the usual case: OpenAI, Anthropic and Gemini bill
   * reasoning as output) means the output price.
   */
  readonly reasoningPerMTok?: number | undefined;
  /** Where the figures were read. */
  readonly source: string;
  /** When they were read (YYYY-MM-DD). */
  readonly date: string;
}

/** The version of the built-in table; bump it whenever a row changes. */
export const priceTableVersion = '2026-12-01';

const openai = 'https://openai.com/api/pricing';
const openaiModel = (model: string) => `https://developers.openai.com/api/docs/models/${model}`;
const anthropic = 'https://platform.claude.com/docs/en/about-claude/pricing';
const deepseek = 'https://api-docs.deepseek.com/quick_start/pricing';
const groq = 'https://groq.com/pricing';
const google = 'https://ai.google.dev/gemini-api/docs/pricing';

// The day the rows below were last checked against their source; rows that could not be re-checked keep the date
// they were read (see docs/pricing.md).
const checked = '2026-12-01';
const earlier = '2025-10-15';

/** One row's figures, USD per million tokens; cache writes default to the input price. */
interface Figures {
  readonly input: number;
  readonly cached: number;
  readonly output: number;
  readonly write5m?: number;
  readonly write1h?: number;
}

const row = (model: string, figures: Figures, source: string, date = checked): ModelPrice =>
  Object.freeze({
    model,
    inputPerMTok: figures.input,
    cachedInputPerMTok: figures.cached,
    cacheWrite5mPerMTok: figures.write5m ?? figures.input,
    cacheWrite1hPerMTok: figures.write1h ?? figures.input,
    outputPerMTok: figures.output,
    source,
    date,
  });

/**
 * Built-in list prices (standard tier, no batch discount). Providers change prices: override rows in options
 * rather than trusting this table for invoices. Output is always priced from its own column, never as a multiple
 * of input.
 */
export const defaultPriceTable: readonly ModelPrice[] = Object.freeze([
  // OpenAI bills no cache writes for these models, and reasoning tokens as output.
  row('gpt-5.1', { input: 1.25, cached: 0.125, output: 10 }, openaiModel('gpt-5.1')),
  row('gpt-5', { input: 1.25, cached: 0.125, output: 10 }, openai, earlier),
  row('gpt-5-mini', { input: 0.25, cached: 0.025, output: 2 }, openai, earlier),
  row('gpt-5-nano', { input: 0.05, cached: 0.005, output: 0.4 }, openaiModel('gpt-5-nano')),
  row('gpt-4.1', { input: 2, cached: 0.5, output: 8 }, openai, earlier),
  row('gpt-4.1-mini', { input: 0.4, cached: 0.1, output: 1.6 }, openai, earlier),
  row('gpt-4.1-nano', { input: 0.1, cached: 0.025, output: 0.4 }, openai, earlier),
  row('gpt-4o', { input: 2.5, cached: 1.25, output: 10 }, openai, earlier),
  row('gpt-4o-mini', { input: 0.15, cached: 0.075, output: 0.6 }, openai, earlier),
  row('o3', { input: 2, cached: 0.5, output: 8 }, openai, earlier),
  row('o4-mini', { input: 1.1, cached: 0.275, output: 4.4 }, openai, earlier),
  row('text-embedding-3-small', { input: 0.02, cached: 0.02, output: 0 }, openai, earlier),
  row('text-embedding-3-large', { input: 0.13, cached: 0.13, output: 0 }, openai, earlier),
  // Anthropic: 5-minute writes at 1.25× input, 1-hour writes at 2×, cache hits at 0.1×, each as published.
  row('claude-opus-4-5', { input: 5, cached: 0.5, write5m: 6.25, write1h: 10, output: 25 }, anthropic),
  row('claude-opus-4-1', { input: 15, cached: 1.5, write5m: 18.75, write1h: 30, output: 75 }, anthropic),
  row('claude-sonnet-4-5', { input: 3, cached: 0.3, write5m: 3.75, write1h: 6, output: 15 }, anthropic),
  row('claude-sonnet-4', { input: 3, cached: 0.3, write5m: 3.75, write1h: 6, output: 15 }, anthropic),
  row('claude-haiku-4-5', { input: 1, cached: 0.1, write5m: 1.25, write1h: 2, output: 5 }, anthropic),
  row('claude-3-5-haiku', { input: 0.8, cached: 0.08, write5m: 1, write1h: 1.6, output: 4 }, anthropic),
  row('deepseek-chat', { input: 0.28, cached: 0.028, output: 0.42 }, deepseek, earlier),
  row('deepseek-reasoner', { input: 0.28, cached: 0.028, output: 0.42 }, deepseek, earlier),
  row('llama-3.3-70b-versatile', { input: 0.59, cached: 0.59, output: 0.79 }, groq, earlier),
  row('llama-3.1-8b-instant', { input: 0.05, cached: 0.05, output: 0.08 }, groq, earlier),
  // Gemini: the standard tier for prompts up to 200k tokens (longer prompts cost more on 2.5 Pro); thinking is
  // billed as output. Cache storage (explicit caching) is billed per hour and is not a per-request cost.
  row('gemini-2.5-pro', { input: 1.25, cached: 0.125, output: 10 }, google),
  row('gemini-2.5-flash', { input: 0.3, cached: 0.075, output: 2.5 }, google, earlier),
  row('gemini-2.5-flash-lite', { input: 0.1, cached: 0.1, output: 0.4 }, google),
]);
