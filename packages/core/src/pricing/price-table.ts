/** One model's list prices in USD per million tokens, with where and when they were read. */
export interface ModelPrice {
  readonly model: string;
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
export const priceTableVersion = '2025-10-15';

const openai = 'https://openai.com/api/pricing';
const anthropic = 'https://docs.anthropic.com/en/docs/about-claude/pricing';
const deepseek = 'https://api-docs.deepseek.com/quick_start/pricing';
const groq = 'https://groq.com/pricing';
const google = 'https://ai.google.dev/gemini-api/docs/pricing';

/** One row's figures, USD per million tokens; cache writes default to the input price. */
interface Figures {
  readonly input: number;
  readonly cached: number;
  readonly output: number;
  readonly write5m?: number;
  readonly write1h?: number;
}

const row = (model: string, figures: Figures, source: string, date = '2025-10-15'): ModelPrice =>
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
  row('gpt-5', { input: 1.25, cached: 0.125, output: 10 }, openai),
  row('gpt-5-mini', { input: 0.25, cached: 0.025, output: 2 }, openai),
  row('gpt-5-nano', { input: 0.05, cached: 0.005, output: 0.4 }, openai),
  row('gpt-4.1', { input: 2, cached: 0.5, output: 8 }, openai),
  row('gpt-4.1-mini', { input: 0.4, cached: 0.1, output: 1.6 }, openai),
  row('gpt-4.1-nano', { input: 0.1, cached: 0.025, output: 0.4 }, openai),
  row('gpt-4o', { input: 2.5, cached: 1.25, output: 10 }, openai),
  row('gpt-4o-mini', { input: 0.15, cached: 0.075, output: 0.6 }, openai),
  row('o3', { input: 2, cached: 0.5, output: 8 }, openai),
  row('o4-mini', { input: 1.1, cached: 0.275, output: 4.4 }, openai),
  row('text-embedding-3-small', { input: 0.02, cached: 0.02, output: 0 }, openai),
  row('text-embedding-3-large', { input: 0.13, cached: 0.13, output: 0 }, openai),
  row('claude-opus-4-1', { input: 15, cached: 1.5, write5m: 18.75, write1h: 30, output: 75 }, anthropic),
  row('claude-sonnet-4-5', { input: 3, cached: 0.3, write5m: 3.75, write1h: 6, output: 15 }, anthropic),
  row('claude-sonnet-4', { input: 3, cached: 0.3, write5m: 3.75, write1h: 6, output: 15 }, anthropic),
  row('claude-haiku-4-5', { input: 1, cached: 0.1, write5m: 1.25, write1h: 2, output: 5 }, anthropic),
  row('deepseek-chat', { input: 0.28, cached: 0.028, output: 0.42 }, deepseek),
  row('deepseek-reasoner', { input: 0.28, cached: 0.028, output: 0.42 }, deepseek),
  row('llama-3.3-70b-versatile', { input: 0.59, cached: 0.59, output: 0.79 }, groq),
  row('llama-3.1-8b-instant', { input: 0.05, cached: 0.05, output: 0.08 }, groq),
  row('gemini-2.5-pro', { input: 1.25, cached: 0.31, output: 10 }, google),
  row('gemini-2.5-flash', { input: 0.3, cached: 0.075, output: 2.5 }, google),
]);
