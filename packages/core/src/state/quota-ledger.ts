import type { QuotaShare } from '../ports/state-store';
import type { QuotaDimension, QuotaObservation } from '../quota/read-quota-headers';

/** The fleet's picture of quota: running spend per (endpoint, model) and the newest reading any instance had. */
export interface QuotaLedger {
  /** Adds a report and answers with the whole picture (see `StateStore.exchangeQuota`). */
  exchange(report: readonly QuotaShare[], now: number): QuotaShare[];
}

interface Entry {
  readonly endpoint: string;
  readonly model: string | undefined;
  readonly spent: { [K in QuotaDimension]?: number };
  reading: { readonly observation: QuotaObservation; readonly at: number } | undefined;
}

/**
 * Creates the ledger a store keeps for fleet-wide admission: the memory store (routers sharing one isolate) and any
 * store that runs the same merge remotely. At most `maxPairs` pairs: past it the oldest is forgotten, and its
 * instances see a fresh total (they then only set a new baseline). Pure apart from its map.
 */
export const createQuotaLedger = (maxPairs = 4096): QuotaLedger => {
  // Keyed by a NUL-joined pair: model names are caller input, and a Map keeps `__proto__` an ordinary key.
  const entries = new Map<string, Entry>();
  return {
    exchange(report) {
      for (const share of report) {
        const key = share.model === undefined ? share.endpoint : `${share.endpoint}\u0000${share.model}`;
        let entry = entries.get(key);
        if (!entry) {
          if (entries.size >= maxPairs) entries.delete(entries.keys().next().value!);
          entry = { endpoint: share.endpoint, model: share.model, spent: {}, reading: undefined };
          entries.set(key, entry);
        }
        for (const [dimension, amount] of Object.entries(share.spent) as [QuotaDimension, number][]) {
          if (Number.isFinite(amount)) entry.spent[dimension] = (entry.spent[dimension] ?? 0) + amount;
        }
        if (share.reading && share.reading.at > (entry.reading?.at ?? Number.NEGATIVE_INFINITY)) entry.reading = share.reading;
      }
      return [...entries.values()].map((entry) => ({ endpoint: entry.endpoint, model: entry.model, spent: { ...entry.spent }, reading: entry.reading }));
    },
  };
};
