// Preload (node --import) that runs this process's wall clock SKEW_MS ahead (negative: behind): one member's bad clock.
const skew = Number(process.env.SKEW_MS ?? 0);
const realNow = Date.now;
Date.now = () => realNow() + skew;
