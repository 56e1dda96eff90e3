/** A source of draws in [0, 1). Injected so jitter and weighted choice can be tested draw by draw. */
export type Random = () => number;

/** The default source: `Math.random`, wrapped so a later stub of `Math.random` is still seen. */
export const defaultRandom: Random = () => Math.random();
