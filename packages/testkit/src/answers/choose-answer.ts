import type { AnswerMode, PrefillDialect } from '../types';
import { answerWords, divergingWords, hashText, piecesOf } from './answer-text';
import { conversationKey } from './conversation';
import type { PrefillVerdict } from './prefill';
import { continuationPieces, prefillVerdict } from './prefill';

/** What an instance answers with, fixed at start. */
export interface AnswerSettings {
  mode: AnswerMode;
  name: string;
  /** Words in a whole answer. */
  count: number;
  seed: number;
  prefill: PrefillDialect;
  /** The `fixed` answer's pieces and their JSON, built once for the hot path. */
  fixedPieces: readonly string[];
  fixedContentJson: string;
}

/** The content of one answer and what the request's prefill asked for. */
export interface ChosenAnswer {
  pieces: readonly string[];
  contentJson: string;
  verdict: PrefillVerdict;
}

/** The APIs whose requests end in a list of messages that may close with the assistant's. */
const PREFILL_PATHS = new Set(['/v1/chat/completions', '/v1/messages']);
const NO_PREFILL: PrefillVerdict = { kind: 'none', trailingAssistant: false };

/**
 * Chooses the answer to one request: the instance's text (fixed, drawn from the conversation, or drawn anew),
 * diverging after `varyAfterTokens` when a `vary-answer` fault applies, and cut to what follows an assistant prefix
 * when the instance's prefill dialect continues it.
 */
export function chooseAnswer(
  settings: AnswerSettings,
  body: Record<string, unknown>,
  path: string,
  requestNumber: number,
  varyAfterTokens?: number,
): ChosenAnswer {
  const verdict = PREFILL_PATHS.has(path) ? prefillVerdict(body, settings.prefill) : NO_PREFILL;
  if (settings.mode === 'fixed' && verdict.kind !== 'continue' && varyAfterTokens === undefined) {
    return { pieces: settings.fixedPieces, contentJson: settings.fixedContentJson, verdict };
  }
  const conversation = settings.mode === 'fixed' ? '' : conversationKey(body, verdict.kind === 'continue');
  let words = answerWords(settings.mode, settings.name, settings.count, conversation, settings.seed, requestNumber);
  if (varyAfterTokens !== undefined) words = divergingWords(words, varyAfterTokens, hashText(`${requestNumber}\u0001${conversation}`, settings.seed));
  let pieces = piecesOf(words);
  if (verdict.kind === 'continue') pieces = continuationPieces(pieces, verdict.prefix);
  return { pieces, contentJson: JSON.stringify(pieces.join('')), verdict };
}
