import { ReplayDivergedError } from './replay-diverged-error';

/**
 * How many of the delivered text's first characters a continuation must repeat to be taken for a restart. A true
 * continuation starts where the delivered text ended, usually with whitespace or the rest of a word, almost never
 * with the answer's own first characters; eight of them are more than a coincidence, and few enough that a
 * restart is caught before it can depart from the delivered text.
 */
export const restartWindow = 8;

/**
 * The most events held back before a verdict. A continuation that streams this much without text (reasoning,
 * keep-alive chunks) is decided by what it wrote so far ({@link RestartProbe.end}): a bound on memory, never a wait.
 */
export const maxHeldEvents = 256;

/** What a continuation turned out to be: a true `continue`, or a fresh answer from the start, to check as a `replay`. */
export type RestartVerdict = 'continue' | 'replay';

/**
 * Watches the start of a continuation for a target that ignored the prefill. Some upstreams (a proxy that drops
 * the flag, a model that takes a trailing assistant message as context) answer the whole question afresh instead
 * of continuing: splicing that on would give the caller the beginning of the answer twice. A continuation whose
 * text begins with the delivered text's first {@link restartWindow} characters (all of them, when fewer) is a
 * restart, and is held to a replay's rule: only what follows the delivered text is relayed, provided it repeats
 * that text exactly.
 */
export interface RestartProbe {
  /** Takes the next piece of the continuation's text; the verdict once it is known, else undefined. */
  see(text: string): RestartVerdict | undefined;
  /** The segment ended (or wrote something other than text) before a verdict: decides with what it wrote. */
  end(): RestartVerdict;
}

/** A probe for a continuation of `delivered`, the text the caller had when the segment began. */
export const createRestartProbe = (delivered: string): RestartProbe => {
  const beginning = delivered.slice(0, restartWindow);
  let written = '';
  return {
    see(text) {
      written += text;
      const compared = Math.min(written.length, beginning.length);
      if (written.slice(0, compared) !== beginning.slice(0, compared)) return 'continue';
      return written.length >= beginning.length ? 'replay' : undefined;
    },
    // Text that is all a prefix of the answer's beginning, and then stops, cannot be a continuation of it worth
    // splicing: held to the replay rule, it fails as one that stopped short. No text at all splices nothing.
    end: () => (written === '' ? 'continue' : 'replay'),
  };
};

/** The diverged error of a restart, saying the target ignored the prefill: the caller's error carries it. */
export const restartDiverged = (error: unknown): unknown =>
  error instanceof ReplayDivergedError ? new ReplayDivergedError(`ignored the prefill and started the answer over, then ${error.message}`) : error;
