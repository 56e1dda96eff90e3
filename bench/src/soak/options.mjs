// The soak's command line: `pnpm soak [--minutes N] [--rate R] [--seed S]`. Every other figure is derived from
// these, so one line in the output states the whole run.
import { parseArgs } from 'node:util';

/**
 * Parses the soak's flags into settings.
 * @param {string[]} argv
 * @returns {{ minutes: number, rate: number, seed: number, sampleMs: number, durationMs: number }}
 */
export const parseSoakOptions = (argv) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      minutes: { type: 'string', default: '10' },
      rate: { type: 'string', default: '150' },
      seed: { type: 'string', default: '1' },
    },
    strict: true,
  });
  const minutes = Number(values.minutes);
  const rate = Number(values.rate);
  const seed = Number(values.seed);
  if (!(minutes > 0 && minutes <= 24 * 60)) throw new Error(`--minutes must be a number in (0, 1440], got ${values.minutes}`);
  if (!(rate > 0 && rate <= 2000)) throw new Error(`--rate must be a number in (0, 2000], got ${values.rate}`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
  // One resource sample a second is enough to see a trend and cheap for the gateway (one IPC round trip).
  return { minutes, rate, seed, sampleMs: 1000, durationMs: Math.round(minutes * 60_000) };
};
