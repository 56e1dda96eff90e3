// The soak's one source of chance: the seeded generator @detour/testkit uses, so a seed repeats a run's fault schedule
// and request mix exactly (timing on a shared machine still varies).
import { createSeededRandom } from '@detour/testkit';

/** A seeded generator of uniform draws in [0, 1). */
export const seededRandom = createSeededRandom;

/** Picks one item of a non-empty list with the given draw source. */
export const pick = (random, items) => items[Math.floor(random() * items.length)];
