import { replyWords } from '../openai/reply-words';
import { createSeededRandom } from '../random';

import type { AnswerMode } from '../types';

/** Plain words the drawn answers are made of; no punctuation, so a piece boundary is always a space. */
const VOCABULARY = [
  'the', 'answer', 'is', 'that', 'a', 'stream', 'can', 'break', 'at', 'any', 'point', 'and', 'still', 'be', 'whole',
  'when', 'gateway', 'continues', 'it', 'on', 'another', 'endpoint', 'with', 'same', 'words', 'in', 'order', 'so',
  'client', 'sees', 'one', 'reply', 'model', 'tokens', 'arrive', 'quickly', 'or', 'slowly', 'but', 'never', 'twice',
  'every', 'request', 'has', 'its', 'own', 'deadline', 'which', 'bounds', 'how', 'long', 'waits', 'for', 'better',
  'tier', 'provider', 'may', 'refuse', 'prefill', 'then', 'replay', 'must', 'match', 'exactly',
];

/** 32-bit FNV-1a of a string, folded with a seed: the key of a drawn answer. */
export function hashText(text: string, seed: number): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** `count` words drawn from the vocabulary by a generator seeded with `key`; the first is capitalised. */
export function drawnWords(key: number, count: number): string[] {
  const random = createSeededRandom(key);
  const words: string[] = [];
  for (let index = 0; index < count; index += 1) words.push(VOCABULARY[Math.floor(random() * VOCABULARY.length)] ?? 'word');
  if (words[0] !== undefined) words[0] = words[0].charAt(0).toUpperCase() + words[0].slice(1);
  return words;
}

/**
 * Words that follow `words` for the first `keep` and then differ: each later word is drawn with another key, and a
 * draw that happens to equal the original at the first differing place is moved on by one vocabulary entry.
 */
export function divergingWords(words: readonly string[], keep: number, key: number): string[] {
  const kept = words.slice(0, keep);
  const other = drawnWords(key ^ 0x9e3779b9, Math.max(0, words.length - kept.length));
  const first = other[0];
  if (first !== undefined && first.toLowerCase() === words[kept.length]?.toLowerCase()) {
    const at = VOCABULARY.indexOf(first.toLowerCase());
    other[0] = VOCABULARY[(at + 1) % VOCABULARY.length] ?? 'other';
  }
  if (kept.length === 0 && other[0] !== undefined) other[0] = other[0].charAt(0).toUpperCase() + other[0].slice(1);
  return [...kept, ...other];
}

/** The words of one answer, before any continuation or output limit. */
export function answerWords(mode: AnswerMode, name: string, count: number, conversation: string, seed: number, requestNumber: number): string[] {
  if (mode === 'fixed') return replyWords(name, count);
  const key = mode === 'deterministic' ? hashText(conversation, seed) : hashText(`${requestNumber}\u0000${conversation}`, seed);
  return drawnWords(key, count);
}

/** Content pieces of an answer: one per word (one token, one stream chunk), every piece after the first led by a space. */
export function piecesOf(words: readonly string[]): string[] {
  return words.map((word, index) => (index === 0 ? word : ` ${word}`));
}
