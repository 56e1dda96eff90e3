import { maxCostWindowMs } from '../dashboard/cost-ledger';

const units: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Reads a window such as `90s`, `15m`, `1h` or `1d` (at most a day, at least a minute) into milliseconds; throws an
 * error whose message names what is wrong. An absent window is an hour.
 */
export const parseWindow = (text: string | undefined): number => {
  if (text === undefined || text === '') return units.h!;
  const match = /^(\d{1,6})(s|m|h|d)$/.exec(text.trim());
  if (!match) throw new RangeError(`window must be a number and a unit (s, m, h or d), like 15m or 1h; got "${text.slice(0, 32)}"`);
  const ms = Number(match[1]) * units[match[2]!]!;
  if (ms < 60_000 || ms > maxCostWindowMs) throw new RangeError(`window must be from 1m to 24h; got "${text}"`);
  return ms;
};
