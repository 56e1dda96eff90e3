import type { PrefillDialect } from '../types';
import { contentText } from './conversation';

/** What to do about the request's last message. */
export type PrefillVerdict =
  /** No prefill, or one this dialect treats as context. */
  | { kind: 'none'; trailingAssistant: boolean }
  /** Continue the answer from the end of `prefix`. */
  | { kind: 'continue'; prefix: string }
  /** Answer 400 with this message. */
  | { kind: 'reject'; reason: 'unsupported' | 'wrong-role' | 'trailing-whitespace' };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Decides, for the dialect an instance imitates, whether a request is a continuation, a plain request or a 400. */
export function prefillVerdict(body: Record<string, unknown>, dialect: PrefillDialect): PrefillVerdict {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const last = messages.at(-1);
  if (!isRecord(last) || last.role !== 'assistant' || messages.length < 2) return { kind: 'none', trailingAssistant: false };
  const prefix = contentText(last.content);
  switch (dialect) {
    case 'ignore':
      return { kind: 'none', trailingAssistant: true };
    case 'reject':
      return { kind: 'reject', reason: 'unsupported' };
    case 'deepseek':
      return last.prefix === true ? { kind: 'continue', prefix } : { kind: 'none', trailingAssistant: true };
    case 'mistral':
      return last.prefix === true ? { kind: 'continue', prefix } : { kind: 'reject', reason: 'wrong-role' };
    case 'vllm':
      return body.continue_final_message === true ? { kind: 'continue', prefix } : { kind: 'none', trailingAssistant: true };
    case 'anthropic':
      return /\s$/.test(prefix) ? { kind: 'reject', reason: 'trailing-whitespace' } : { kind: 'continue', prefix };
    case 'openrouter':
      return { kind: 'continue', prefix };
  }
}

/**
 * The pieces that continue `pieces` after `prefix`. When the prefix is a true prefix of the answer, the
 * continuation is exactly the rest (the first piece may finish a word that the prefix cut), so prefix +
 * continuation is the whole answer. Otherwise the model is taken to carry on after as many words as the prefix
 * holds, as a real model continuing someone else's text would.
 */
export function continuationPieces(pieces: readonly string[], prefix: string): string[] {
  const whole = pieces.join('');
  if (whole.startsWith(prefix)) {
    const rest: string[] = [];
    let offset = 0;
    for (const piece of pieces) {
      const end = offset + piece.length;
      if (end > prefix.length) rest.push(offset >= prefix.length ? piece : piece.slice(prefix.length - offset));
      offset = end;
    }
    return rest;
  }
  const prefixWords = prefix.trim() === '' ? 0 : prefix.trim().split(/\s+/).length;
  return pieces.slice(prefixWords).map((piece) => (piece.startsWith(' ') ? piece : ` ${piece}`));
}
