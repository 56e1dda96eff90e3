// The soak's one source of chance: mulberry32, the generator @detour/testkit uses, so a seed repeats a run's
// fault schedule and request mix exactly (timing on a shared machine still varies).

/**
 * A seeded generator of uniform draws in [0, 1).
 * @param {number} seed
 * @returns {() => number}
 */
export const seededRandom = (seed) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
};

/** Picks one item of a non-empty list with the given draw source. */
export const pick = (random, items) => items[Math.floor(random() * items.length)];
