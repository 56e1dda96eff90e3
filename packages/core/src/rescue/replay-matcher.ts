import { firstChoice, readToolDelta, reasoningOf, type ChunkDelta, type DeliveredAnswer } from './delivered-answer';
import { ReplayDivergedError } from './replay-diverged-error';

/** Checks a replayed answer against the delivered one and trims each chunk to what the caller has not seen. */
export interface ReplayMatcher {
  /**
   * Rewrites the chunk's delta in place to hold only text beyond the delivered answer (possibly nothing). Throws
   * {@link ReplayDivergedError} when the replay departs from the delivered text, or finishes before repeating it.
   */
  admit(chunk: Record<string, unknown>): true;
  /** The replay sent its terminating event: throws if it never caught up with the delivered text. */
  finish(): void;
}

// The delivered answer as ordered channels: reasoning, content, then each tool call as `name \u0001 arguments`.
// A model writes them in that order, so a channel may grow only while every earlier one is complete.
const separator = '\u0001';
const toolText = (name: string, args: string) => (name === '' ? args : `${name}${separator}${args}`);

/**
 * Creates a matcher for a replay of `answer` as delivered now. Each channel of the replay is compared character by
 * character with the delivered channel; the last delivered channel may run past it (that overflow is relayed), an
 * earlier one may not (the delivered answer moved on from it), and a later one may start only once the replay has
 * caught up. Tool call ids are not compared: they are fresh per generation, and the caller keeps the first one.
 */
export const createReplayMatcher = (answer: DeliveredAnswer): ReplayMatcher => {
  const delivered = [answer.reasoning, answer.content, ...Array.from(answer.toolCalls, (call) => toolText(call?.name ?? '', call?.arguments ?? ''))];
  let last = -1;
  delivered.forEach((text, index) => {
    if (text !== '') last = index;
  });
  const seen: string[] = delivered.map(() => '');

  const caughtUp = (before: number) => {
    for (let index = 0; index < Math.min(before, last + 1); index += 1) if (seen[index]!.length < delivered[index]!.length) return false;
    return true;
  };

  // Whether a piece of the chunk being admitted was cut (part of it, or all of it, delivered already).
  let cut = false;

  /** Takes one piece of channel `index`; returns the part the caller has not received. */
  const take = (index: number, piece: string): string => {
    if (piece === '') return '';
    if (!caughtUp(index)) throw new ReplayDivergedError('wrote a later part of the answer before repeating the delivered text');
    const target = delivered[index] ?? '';
    const before = seen[index] ?? '';
    seen[index] = before + piece;
    if (before.length >= target.length) {
      if (index < last) throw new ReplayDivergedError('went on where the delivered answer had moved on');
      return piece;
    }
    const overlap = Math.min(piece.length, target.length - before.length);
    if (piece.slice(0, overlap) !== target.slice(before.length, before.length + overlap)) {
      throw new ReplayDivergedError(`diverged from the delivered text after ${before.length + firstDifference(piece, target.slice(before.length))} characters`);
    }
    if (overlap < piece.length && index < last) throw new ReplayDivergedError('went on where the delivered answer had moved on');
    cut = true;
    return piece.slice(overlap);
  };

  return {
    admit(chunk) {
      const choice = firstChoice(chunk);
      if (!choice) return true;
      const delta = (choice.delta ?? {}) as ChunkDelta & Record<string, unknown>;
      delete delta.role;
      cut = false;
      const whole = reasoningOf(delta);
      const reasoning = take(0, whole);
      // Providers send the reasoning under one name or both (OpenRouter: `reasoning`, with `reasoning_details`
      // restating it); each is trimmed alike. A structured restatement of a cut piece is dropped: what it held of the
      // delivered reasoning would reach the caller twice.
      if (typeof delta.reasoning_content === 'string') delta.reasoning_content = reasoning;
      if (typeof delta.reasoning === 'string') delta.reasoning = reasoning;
      if (reasoning.length < whole.length) delete delta.reasoning_details;
      if (typeof delta.content === 'string') delta.content = take(1, delta.content);
      if (Array.isArray(delta.tool_calls)) {
        const calls: unknown[] = [];
        for (const item of delta.tool_calls) {
          const call = readToolDelta(item);
          if (!call) continue;
          const overflow = take(2 + call.index, toolText(call.name, call.arguments));
          if (overflow === '') continue;
          // A whole new tool call (its name among the new text) goes as sent, id and all; else only its arguments.
          const wholeCall = call.name !== '' && overflow.length === toolText(call.name, call.arguments).length;
          calls.push(wholeCall ? item : { index: call.index, function: { arguments: overflow } });
        }
        if (calls.length > 0) delta.tool_calls = calls;
        else delete delta.tool_calls;
      }
      // Log probabilities describe the whole piece; once a piece is cut they no longer line up with it. A piece the
      // caller never had keeps them.
      if (cut) delete (choice as Record<string, unknown>).logprobs;
      if (typeof choice.finish_reason === 'string' && !caughtUp(delivered.length)) {
        throw new ReplayDivergedError('finished before repeating the delivered text');
      }
      return true;
    },
    finish() {
      if (!caughtUp(delivered.length)) throw new ReplayDivergedError('ended before repeating the delivered text');
    },
  };
};

const firstDifference = (left: string, right: string): number => {
  let index = 0;
  while (index < left.length && index < right.length && left[index] === right[index]) index += 1;
  return index;
};
