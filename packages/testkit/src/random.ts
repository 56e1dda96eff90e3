/** A source of uniform draws in [0, 1). */
export type Random = () => number;

/**
 * A small seeded generator (mulberry32), so a script's `probability` and the latency samples repeat exactly for
 * the same seed and the same request order.
 *
 * @example
 * const random = createSeededRandom(42);
 * random(); // the same first draw on every run
 */
export function createSeededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
