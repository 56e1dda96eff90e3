import { quotaDimensions } from '@detour/core/signals';
import type { QuotaShare } from '@detour/core/store';

/** How long an idle fleet's quota ledger lives: longer than any per-minute window, far shorter than a day's. */
export const quotaLedgerTtlMs = 10 * 60_000;
/**
 * Pairs the fleet's ledger holds at most (the least recently reported go first), and reads back at most: about six
 * fields each, so one exchange stays a few hundred kilobytes and well inside the command timeout.
 */
export const maxLedgerPairs = 2048;
const maxPairs = maxLedgerPairs;
/** The spend fields a pair can have, for the exchange script to delete an evicted pair's. */
export const ledgerDimensions = JSON.stringify(quotaDimensions);

const pairOf = (endpoint: string, model: string | undefined) => encodeURIComponent(model === undefined ? endpoint : `${endpoint}\u0000${model}`);

/**
 * The shares with their times (a reading's stamp, the ledger's `since`) converted by `stamp`, between this instance's
 * clock and the fleet's.
 */
export const restampShares = (shares: readonly QuotaShare[], stamp: (at: number) => number): QuotaShare[] =>
  shares.map((share) => ({
    ...share,
    ...(share.reading ? { reading: { ...share.reading, at: stamp(share.reading.at) } } : {}),
    ...(share.since === undefined ? {} : { since: stamp(share.since) }),
  }));

/** The report as the exchange script reads it: `[[pair, spent, readingJson | false, at]]`. */
export const encodeQuotaReport = (report: readonly QuotaShare[]): string =>
  JSON.stringify(
    report.map((share) => [
      pairOf(share.endpoint, share.model),
      // cjson decodes an empty JSON object as an empty table either way; an array would not be iterated by pairs.
      Object.keys(share.spent).length === 0 ? { requests: 0 } : share.spent,
      share.reading ? JSON.stringify(share.reading.observation) : false,
      share.reading?.at ?? 0,
    ]),
  );

/** The ledger's flat `field, value` list as shares. Fields it cannot read are skipped, never thrown on. */
export const decodeQuotaLedger = (flat: readonly string[]): QuotaShare[] => {
  const byPair = new Map<string, { endpoint: string; model: string | undefined; spent: Record<string, number>; reading?: string; at?: number; since?: number }>();
  for (let index = 0; index + 1 < flat.length; index += 2) {
    const field = flat[index]!;
    const value = flat[index + 1]!;
    // URI-encoding leaves no `|` in a pair: `<pair>|s|<dimension>`, `<pair>|r`, `<pair>|a`, `<pair>|f`.
    const [pair = '', tag, dimension = ''] = field.split('|');
    let entry = byPair.get(pair);
    if (!entry) {
      if (byPair.size >= maxPairs) continue;
      let decoded: string;
      try {
        decoded = decodeURIComponent(pair);
      } catch {
        continue;
      }
      const nul = decoded.indexOf('\u0000');
      entry = { endpoint: nul < 0 ? decoded : decoded.slice(0, nul), model: nul < 0 ? undefined : decoded.slice(nul + 1), spent: {} };
      byPair.set(pair, entry);
    }
    if (tag === 's' && Number.isFinite(Number(value))) entry.spent[dimension] = Number(value);
    else if (tag === 'r') entry.reading = value;
    else if (tag === 'a') entry.at = Number(value);
    else if (tag === 'f' && Number.isFinite(Number(value))) entry.since = Number(value);
  }
  return [...byPair.values()].map(({ endpoint, model, spent, reading, at, since }) => {
    let parsed: QuotaShare['reading'];
    try {
      if (reading !== undefined && at !== undefined && Number.isFinite(at)) parsed = { observation: JSON.parse(reading), at };
    } catch {
      parsed = undefined;
    }
    return { endpoint, model, spent, reading: parsed, ...(since === undefined ? {} : { since }) };
  });
};
