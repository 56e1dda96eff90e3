// The clock V8 stamps CPU-profile samples with is the monotonic clock in microseconds, which is also what
// process.hrtime reads in any process on Linux: a window taken here in the bench selects a subject's samples.

/** Monotonic microseconds now, comparable with a .cpuprofile's sample times. */
export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
