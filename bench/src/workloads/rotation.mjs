// Subjects are interleaved within every repetition (A, B, C, D, then B, C, D, A …), so machine drift and noise from
// other work on the host spread across all of them instead of landing on whichever ran last.

/** `names` rotated left by `repetition` places. */
export const rotated = (names, repetition) => names.map((_, index) => names[(index + repetition) % names.length]);
