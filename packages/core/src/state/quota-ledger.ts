import type { QuotaShare } from '../ports/state-store';
import type { QuotaDimension, QuotaObservation } from '../quota/read-quota-headers';

/** The fleet's picture of quota: running spend per (endpoint, model) and the newest reading any instance had. */
export interface QuotaLedger {
  /** Adds a report and answers with the whole picture (see `StateStore.exchangeQuota`). */
  exchange(report: readonly QuotaShare[], now: number): QuotaShare[];
}

/** One pair's line in a ledger: its running spend and the newest reading any instance had. */
export interface QuotaLedgerEntry {
  readonly endpoint: string;
  readonly model: string | undefined;
  /** What the fleet spent on the pair, per dimension, since the ledger first heard of it. */
  readonly spent: Partial<Record<QuotaDimension, number>>;
  /** The newest provider reading any instance reported, with when it was read. */
  reading: { readonly observation: QuotaObservation; readonly at: number } | undefined;
  /** When the ledger first heard of the pair (see `QuotaShare.since`). */
  readonly since: number;
}

/** A ledger's key for a share's pair: NUL-joined (model names are caller input; a Map keeps `__proto__` ordinary). */
export const quotaPairKey = (share: Pick<QuotaShare, 'endpoint' | 'model'>): string =>
  share.model === undefined ? share.endpoint : `${share.endpoint}\u0000${share.model}`;

/** Adds a share's spend to its pair's entry, and its reading when newer than the entry's. */
export const addShare = (entry: QuotaLedgerEntry, share: QuotaShare): void => {
  for (const [dimension, amount] of Object.entries(share.spent) as [QuotaDimension, number][]) {
    if (Number.isFinite(amount)) entry.spent[dimension] = (entry.spent[dimension] ?? 0) + amount;
  }
  if (share.reading && share.reading.at > (entry.reading?.at ?? Number.NEGATIVE_INFINITY)) entry.reading = share.reading;
};

/** An entry as a share of an answer (a copy: the ledger goes on adding to its own). */
export const entryShare = (entry: QuotaLedgerEntry): QuotaShare =>
  ({ endpoint: entry.endpoint, model: entry.model, spent: { ...entry.spent }, reading: entry.reading, since: entry.since });

/**
 * Creates the ledger a store keeps for fleet-wide admission: the memory store (routers sharing one isolate) and any
 * store that runs the same merge remotely. At most `maxPairs` pairs: past it the oldest is forgotten, and its
 * instances see a fresh total (they then only set a new baseline). Pure apart from its map.
 */
export const createQuotaLedger = (maxPairs = 4096): QuotaLedger => {
  const entries = new Map<string, QuotaLedgerEntry>();
  return {
    exchange(report, now) {
      for (const share of report) {
        const key = quotaPairKey(share);
        let entry = entries.get(key);
        if (!entry) {
          if (entries.size >= maxPairs) entries.delete(entries.keys().next().value!);
          entry = { endpoint: share.endpoint, model: share.model, spent: {}, reading: undefined, since: now };
          entries.set(key, entry);
        }
        addShare(entry, share);
      }
      return [...entries.values()].map(entryShare);
    },
  };
};
