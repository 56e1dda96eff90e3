import type { Endpoint } from '../options/endpoint-schema';
import type { continuationDialects } from '../options/endpoint-values';

/** How an endpoint continues a partial assistant answer (see `continuation` on an endpoint). */
export type ContinuationDialect = (typeof continuationDialects)[number];

/**
 * The dialect an endpoint continues a prefix in: only what it declares (`continuation`), else `none` (replay
 * only). Never inferred from `provider`: a continuation is spliced onto what the caller already has, so an upstream
 * that silently ignores the prefill (a relay that drops the flag, a newer model, DeepSeek outside its beta base URL)
 * would hand the caller a duplicated or inconsistent answer; replay checks every character and cannot. The
 * dialects come from the providers' docs (docs/rescue.md): DeepSeek "Chat Prefix Completion (Beta)"; Mistral's
 * `AssistantMessage.prefix`; vLLM's chat extra parameters `continue_final_message` / `add_generation_prompt`;
 * OpenRouter's assistant prefill; Anthropic's "Prefill Claude's response".
 */
export const endpointContinuation = (endpoint: Pick<Endpoint, 'continuation'>): ContinuationDialect => endpoint.continuation ?? 'none';

/** A continuation request, and the whitespace its prefix had to shed (Anthropic refuses a prefill ending in it). */
export interface ContinuationBody {
  readonly body: string;
  /** Trailing whitespace cut from the prefix; the continuation usually starts by writing it again. */
  readonly trimmed: string;
}

/**
 * The chat completion request that asks `dialect` to finish `prefix`: the caller's messages plus the partial
 * assistant message in that dialect's terms, the model renamed for the endpoint, and any output limit lowered by
 * the tokens already delivered (`max_tokens` bounds the whole answer the caller sees). Re-serialised, so an
 * integer beyond 2^53 in the caller's body (a `seed`) would round: a rescue is rare, and a seed that large is too.
 */
export const continuationBody = (
  json: Readonly<Record<string, unknown>>,
  { prefix, dialect, model, deliveredTokens }: { prefix: string; dialect: Exclude<ContinuationDialect, 'none'>; model: string | undefined; deliveredTokens: number },
): ContinuationBody => {
  const messages = Array.isArray(json.messages) ? json.messages : [];
  const body: Record<string, unknown> = { ...json };
  if (model !== undefined) body.model = model;
  // A request that ends with the caller's own prefill (`{"role":"assistant","content":"{\"city\": \""}`) had its
  // answer written onward from it: the continuation extends that message, so the model reads one assistant turn.
  const prefilled = callerPrefill(messages.at(-1));
  let trimmed = '';
  let content = (prefilled?.text ?? '') + prefix;
  if (dialect === 'anthropic') {
    // "The prefill content cannot end with trailing whitespace" (Anthropic answers 400).
    const kept = content.trimEnd();
    trimmed = content.slice(kept.length);
    content = kept;
  }
  const message: Record<string, unknown> = prefilled ? prefilled.with(content) : { role: 'assistant', content };
  if (dialect === 'deepseek' || dialect === 'mistral') message.prefix = true;
  if (dialect === 'vllm') {
    body.continue_final_message = true;
    body.add_generation_prompt = false;
  }
  body.messages = prefilled ? [...messages.slice(0, -1), message] : [...messages, message];
  for (const key of ['max_tokens', 'max_completion_tokens'] as const) {
    const limit = body[key];
    if (typeof limit === 'number') body[key] = Math.max(1, limit - deliveredTokens);
  }
  return { body: JSON.stringify(body), trimmed };
};

/**
 * The caller's trailing assistant message, when its text can be extended: its text, and the message with another in
 * its place (a string content, or a last text part of an array).
 */
const callerPrefill = (last: unknown): { text: string; with(text: string): Record<string, unknown> } | undefined => {
  if (typeof last !== 'object' || last === null || (last as { role?: unknown }).role !== 'assistant') return undefined;
  const message = last as Record<string, unknown>;
  const content = message.content;
  if (typeof content === 'string') return { text: content, with: (text) => ({ ...message, content: text }) };
  if (!Array.isArray(content) || content.length === 0) return undefined;
  const part = content[content.length - 1] as { type?: unknown; text?: unknown } | null;
  if (typeof part !== 'object' || part === null || part.type !== 'text' || typeof part.text !== 'string') return undefined;
  return { text: part.text, with: (text) => ({ ...message, content: [...content.slice(0, -1), { ...part, text }] }) };
};
