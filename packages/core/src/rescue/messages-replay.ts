import { ReplayDivergedError } from './replay-diverged-error';

/**
 * Matches an Anthropic Messages replay against the answer the caller already has, block by block: the caller's
 * SDK has seen each delivered text block start, and each but the last one end, so the replay must repeat those
 * blocks with the same text in the same places. It relays only what is past the delivered answer (the rest of the
 * block still open, then new blocks) and throws `ReplayDivergedError` when the replay departs from it: other text,
 * a block of another kind, a block that goes on past where the caller saw it end, or an answer that stops short.
 * Matching the text alone, run together, spliced a replay's one block onto two delivered ones (text appended to a
 * block the caller saw closed, a second block never closed) and the SDKs took the garbled answer as complete.
 */
export class MessagesReplay {
  /** The replay's current block, and how many characters of the delivered block of that index it has repeated. */
  private block = -1;
  private matched = 0;

  /**
   * @param text every delivered text block's text, run together
   * @param starts where each delivered block begins in `text`, by block index
   * @param open the delivered block still open (the caller has not seen it end), if any
   */
  constructor(
    private readonly text: string,
    private readonly starts: readonly number[],
    private readonly open: number | undefined,
  ) {}

  private lengthOf(index: number): number {
    return (this.starts[index + 1] ?? this.text.length) - this.starts[index]!;
  }

  private delivered(index: number): boolean {
    return index < this.starts.length;
  }

  /** Every delivered block has been repeated whole. */
  get caughtUp(): boolean {
    const last = this.starts.length - 1;
    return last < 0 || (this.block === last && this.matched >= this.lengthOf(last));
  }

  /** A `content_block_start`: true to relay it (a new block), false when the caller has it already. */
  start(index: number, type: unknown): boolean {
    if (!this.delivered(index)) {
      if (!this.caughtUp) throw new ReplayDivergedError(`started block ${index} before repeating the delivered text`);
      return true;
    }
    if (type !== 'text') throw new ReplayDivergedError(`opened a ${String(type)} block where the caller has text (block ${index})`);
    if (index !== this.block + 1 || (this.block >= 0 && this.matched < this.lengthOf(this.block))) {
      throw new ReplayDivergedError(`opened block ${index} out of the delivered order`);
    }
    this.block = index;
    this.matched = 0;
    return false;
  }

  /** A delta: the part of its text to relay ('' for none); undefined to relay a delta of a new block as it is. */
  delta(index: number, type: unknown, piece: string): string | undefined {
    if (!this.delivered(index)) return undefined;
    if (type !== 'text_delta') throw new ReplayDivergedError(`sent a ${String(type)} where the caller has text (block ${index})`);
    if (index !== this.block) throw new ReplayDivergedError(`sent text for block ${index} outside it`);
    const length = this.lengthOf(index);
    const overlap = Math.min(piece.length, length - this.matched);
    if (overlap > 0 && !this.text.startsWith(piece.slice(0, overlap), this.starts[index]! + this.matched)) {
      throw new ReplayDivergedError(`diverged from the delivered text of block ${index} after ${this.matched} characters or more`);
    }
    this.matched += overlap;
    const rest = piece.slice(overlap);
    if (rest !== '' && index !== this.open) throw new ReplayDivergedError(`went on past the end of block ${index}, which the caller saw end`);
    return rest;
  }

  /** A `content_block_stop`: true to relay it (a new block, or the delivered block still open), false otherwise. */
  stop(index: number): boolean {
    if (!this.delivered(index)) return true;
    if (index !== this.block || this.matched < this.lengthOf(index)) {
      throw new ReplayDivergedError(`finished block ${index} before repeating the delivered text`);
    }
    return index === this.open;
  }
}
