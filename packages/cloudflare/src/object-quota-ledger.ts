import { addShare, entryShare, quotaPairKey, type QuotaLedgerEntry, type QuotaShare } from '@detour/core/store';

/** Pairs the object's ledger holds at most: no more than a member keeps (`admission.maxModels`' default). */
export const maxObjectLedgerPairs = 1024;
/** A pair nobody reported for this long is dropped, as an idle Redis ledger expires. */
export const ledgerIdleMs = 10 * 60_000;

interface ObjectEntry extends QuotaLedgerEntry {
  /** The cursor of the exchange that last reported the pair. */
  cursor: number;
  /** When it was last reported, on the object's clock. */
  reportedAt: number;
}

/** What an exchange answers: the pairs reported since the caller's cursor, and the cursor to send next time. */
export interface LedgerAnswer {
  readonly shares: QuotaShare[];
  readonly cursor: number;
}

/**
 * Creates the quota ledger a `DetourStateObject` keeps. Pairs are kept in the order they were last reported: an exchange
 * answers with those reported after the caller's cursor (every pair for cursor 0, a member's first exchange), so
 * an answer costs what changed, not the whole ledger (4,096 pairs of long model names made every answer 1.4 MB);
 * past `maxObjectLedgerPairs` the least recently reported goes, never a pair in use; and pairs idle for
 * `ledgerIdleMs` are dropped. Times are the object's own: a reading stamped after `now` is stamped `now`, so a
 * member with a fast clock cannot hold the newest reading for the length of its error.
 */
export const createObjectQuotaLedger = () => {
  const entries = new Map<string, ObjectEntry>();
  let cursor = 0;
  return {
    /**
     * Adds `report` at `now` (the object's clock) and answers with the pairs reported after `since`. A new pair is
     * dated by the earlier of `now` and the reporter's clock (`reportedAt`), which members weigh its total by.
     */
    exchange(report: readonly QuotaShare[], now: number, since: number, reportedAt = now): LedgerAnswer {
      // Cursors follow the object's clock, so they keep rising across a restart of the object (which empties the
      // ledger); a cursor from the future (a clock stepped back) asks for everything.
      cursor = Math.max(cursor + 1, now);
      const after = since > cursor ? 0 : since;
      for (const share of report) {
        const key = quotaPairKey(share);
        let entry = entries.get(key);
        if (entry) {
          // To the end of the order: it was just reported.
          entries.delete(key);
          if (entry.reading && entry.reading.at > now) entry.reading = undefined;
        } else {
          entry = { endpoint: share.endpoint, model: share.model ?? undefined, spent: {}, reading: undefined, since: Math.min(now, reportedAt), cursor, reportedAt: now };
        }
        entries.set(key, entry);
        entry.cursor = cursor;
        entry.reportedAt = now;
        const reading = share.reading;
        addShare(entry, reading && reading.at > now ? { ...share, reading: { ...reading, at: now } } : share);
      }
      for (const [key, entry] of entries) {
        if (entries.size <= maxObjectLedgerPairs && now - entry.reportedAt < ledgerIdleMs) break;
        entries.delete(key);
      }
      // The pairs reported after `since` are the last ones in the order.
      const shares: QuotaShare[] = [];
      for (const entry of [...entries.values()].reverse()) {
        if (entry.cursor <= after) break;
        shares.push(entryShare(entry));
      }
      return { shares: shares.reverse(), cursor };
    },
  };
};
