import { createHash } from 'node:crypto';
import type { CacheTtl, PromptCache } from './prompt-cache';

/** The input side of Anthropic's `usage`, with the cache split. */
export interface PromptUsage {
  /** Input tokens neither read from nor written to the cache. */
  inputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
  /** Tokens written per lifetime, Anthropic's `usage.cache_creation` breakdown. */
  cacheCreation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  /** Writes (or refreshes) every breakpoint's prefix; run only when the answer is delivered. */
  commit: () => void;
}

/** A place in the prompt where a block carries `cache_control`: the characters before it and the cache lifetime. */
interface Breakpoint {
  chars: number;
  ttl: CacheTtl;
  key: string;
}

const tokensOf = (chars: number): number => Math.ceil(chars / 4);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function ttlOf(block: Record<string, unknown>): CacheTtl | undefined {
  const control = block.cache_control;
  if (!isRecord(control)) return undefined;
  return control.ttl === '1h' ? '1h' : '5m';
}

/** Text a content block contributes: `text`, or a tool result's string `content`, or its JSON for anything else. */
function blockText(block: unknown): string {
  if (typeof block === 'string') return block;
  if (!isRecord(block)) return '';
  if (typeof block.text === 'string') return block.text;
  if (typeof block.content === 'string') return block.content;
  if (block.type === 'tool_use' || block.type === 'tool_result' || isRecord(block.input_schema)) return JSON.stringify(block);
  return '';
}

/** The prompt as ordered blocks, in Anthropic's cache order: tools, then system, then messages. */
function promptBlocks(body: Record<string, unknown>): unknown[] {
  const blocks: unknown[] = [];
  if (Array.isArray(body.tools)) blocks.push(...body.tools);
  if (typeof body.system === 'string' || Array.isArray(body.system)) blocks.push(...[body.system].flat());
  if (Array.isArray(body.messages)) {
    for (const message of body.messages) {
      if (!isRecord(message)) continue;
      if (Array.isArray(message.content)) blocks.push(...message.content);
      else blocks.push(message.content);
    }
  }
  return blocks;
}

/**
 * Input tokens of a Messages request and how many of them a cache would read or write. Every block with
 * `cache_control` marks a breakpoint; the prompt up to it (with the model) is the cached prefix. The longest
 * prefix already cached is read, the rest up to the last breakpoint is written, and the remainder is plain input,
 * so the first request reports `cache_creation_input_tokens` and an identical repeat `cache_read_input_tokens`.
 * Unlike Anthropic there is no minimum cacheable length (1,024 tokens and up), so small test prompts cache too.
 *
 * @example
 * promptUsage({ model: 'm', system: [{ type: 'text', text: long, cache_control: { type: 'ephemeral' } }], messages }, cache);
 */
export function promptUsage(body: Record<string, unknown>, cache: PromptCache): PromptUsage {
  const hash = createHash('sha256').update(typeof body.model === 'string' ? body.model : '');
  const breakpoints: Breakpoint[] = [];
  let chars = 0;
  for (const block of promptBlocks(body)) {
    const text = blockText(block);
    chars += text.length;
    hash.update('\u0000').update(text);
    const ttl = isRecord(block) ? ttlOf(block) : undefined;
    if (ttl !== undefined) breakpoints.push({ chars, ttl, key: hash.copy().digest('base64') });
  }
  const totalTokens = Math.max(1, tokensOf(chars));
  const cacheCreation = { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 };
  let readTokens = 0;
  let firstUncached = 0;
  for (let index = breakpoints.length - 1; index >= 0; index -= 1) {
    const breakpoint = breakpoints[index]!;
    if (cache.has(breakpoint.key)) {
      readTokens = tokensOf(breakpoint.chars);
      firstUncached = index + 1;
      break;
    }
  }
  let covered = readTokens;
  for (const breakpoint of breakpoints.slice(firstUncached)) {
    const tokens = tokensOf(breakpoint.chars) - covered;
    cacheCreation[breakpoint.ttl === '1h' ? 'ephemeral_1h_input_tokens' : 'ephemeral_5m_input_tokens'] += tokens;
    covered += tokens;
  }
  return {
    inputTokens: Math.max(0, totalTokens - covered),
    cacheCreationInputTokens: covered - readTokens,
    cacheReadInputTokens: readTokens,
    cacheCreation,
    commit: () => {
      for (const breakpoint of breakpoints) cache.put(breakpoint.key, breakpoint.ttl);
    },
  };
}
