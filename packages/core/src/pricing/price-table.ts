/** One model's list prices in USD per million tokens, with where and when they were read. */
export interface ModelPrice {
  readonly model: string;
  readonly inputPerMTok: number;
  /** Price of prompt tokens served from the provider's cache; the input price when the provider has none. */
  readonly cachedInputPerMTok: number;
  readonly outputPerMTok: number;
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

const row = (model: string, input: number, cached: number, output: number, source: string, date = '2025-10-15'): ModelPrice =>
  Object.freeze({ model, inputPerMTok: input, cachedInputPerMTok: cached, outputPerMTok: output, source, date });

/**
 * Built-in list prices (standard tier, no batch discount). Providers change prices: override rows in options
 * rather than trusting this table for invoices. Output is always priced from its own column, never as a multiple
 * of input.
 */
export const defaultPriceTable: readonly ModelPrice[] = Object.freeze([
  row('gpt-5', 1.25, 0.125, 10, openai),
  row('gpt-5-mini', 0.25, 0.025, 2, openai),
  row('gpt-5-nano', 0.05, 0.005, 0.4, openai),
  row('gpt-4.1', 2, 0.5, 8, openai),
  row('gpt-4.1-mini', 0.4, 0.1, 1.6, openai),
  row('gpt-4.1-nano', 0.1, 0.025, 0.4, openai),
  row('gpt-4o', 2.5, 1.25, 10, openai),
  row('gpt-4o-mini', 0.15, 0.075, 0.6, openai),
  row('o3', 2, 0.5, 8, openai),
  row('o4-mini', 1.1, 0.275, 4.4, openai),
  row('text-embedding-3-small', 0.02, 0.02, 0, openai),
  row('text-embedding-3-large', 0.13, 0.13, 0, openai),
  row('claude-opus-4-1', 15, 1.5, 75, anthropic),
  row('claude-sonnet-4-5', 3, 0.3, 15, anthropic),
  row('claude-sonnet-4', 3, 0.3, 15, anthropic),
  row('claude-haiku-4-5', 1, 0.1, 5, anthropic),
  row('deepseek-chat', 0.28, 0.028, 0.42, deepseek),
  row('deepseek-reasoner', 0.28, 0.028, 0.42, deepseek),
  row('llama-3.3-70b-versatile', 0.59, 0.59, 0.79, groq),
  row('llama-3.1-8b-instant', 0.05, 0.05, 0.08, groq),
  row('gemini-2.5-pro', 1.25, 0.31, 10, google),
  row('gemini-2.5-flash', 0.3, 0.075, 2.5, google),
]);
