import type { RouterEvent } from '@detour/core';
import { compareNames } from './compare-names';
import { createTimeBuckets, otherModels } from './time-buckets';

type CostRecord = Extract<RouterEvent, { type: 'cost-record' }>;

/** Spend of one endpoint, model and gateway key in one time bucket. */
interface SpendFigures {
  successUsd: number;
  failedUsd: number;
  abandonedUsd: number;
  /** Cost records counted (attempts billed), priced or not. */
  records: number;
  /** Of those, records whose model has no price: spend the figures cannot show. */
  unpriced: number;
}

/** One row of a spend summary. `key` is the gateway key's configured name (null when the gateway runs keyless). */
export interface SpendRow {
  readonly endpoint: string;
  readonly model: string;
  readonly key: string | null;
  /** Served answers. */
  readonly successUsd: number;
  /** Wasted: attempts that failed after the provider started billing (cut or stalled streams included). */
  readonly failedUsd: number;
  /** Streams the caller left before their end, billed up to where it stopped. */
  readonly abandonedUsd: number;
  readonly totalUsd: number;
  readonly records: number;
  readonly unpriced: number;
}

/** Spend over a window: the rows, and sums per endpoint, model and key. */
export interface SpendSummary {
  readonly windowSeconds: number;
  /** Milliseconds since the epoch; the window is rounded out to whole minutes. */
  readonly from: number;
  readonly to: number;
  readonly totalUsd: number;
  readonly wastedUsd: number;
  /** The largest {@link maxSummaryRows} endpoint/model/key rows. */
  readonly rows: readonly SpendRow[];
  /** Rows left out of `rows` (their spend is in every total and sum). */
  readonly rowsOmitted: number;
  readonly byEndpoint: readonly SpendRow[];
  /** The largest {@link maxSummaryRows} models. */
  readonly byModel: readonly SpendRow[];
  /** Models left out of `byModel`. */
  readonly modelsOmitted: number;
  readonly byKey: readonly SpendRow[];
}

/** Spend by endpoint, model and gateway key over time, from `cost-record` events. */
export interface CostLedger {
  record(event: CostRecord): void;
  /** Spend over the `windowMs` before `now` (at most {@link maxCostWindowMs}). */
  summary(windowMs: number, now: number): SpendSummary;
}

const bucketMs = 60_000;
/** A day of one-minute buckets: the longest window the ledger answers. */
export const maxCostWindowMs = 24 * 60 * 60 * 1000;
/** Rows per minute before the rest count under `other`: a caller choosing model names cannot grow memory. */
const maxRowsPerBucket = 64;
// A row's identity as one Map key. JSON, not a separator: a caller's model name may hold any character, and a
// separator inside it would move the key-name field (a NUL in a model name billed the spend to another key).
const rowKey = (endpoint: string, model: string, key: string | null): string => JSON.stringify([endpoint, model, key]);
const readRowKey = (id: string): [string, string, string | null] => JSON.parse(id) as [string, string, string | null];
/** Rows and models a summary lists, the largest first: a day of distinct model names would be tens of megabytes. */
export const maxSummaryRows = 1000;

/**
 * Creates a {@link CostLedger}: one-minute buckets for a day, each with at most 64 endpoint/model/key rows and one
 * `(other models)` row per endpoint and key past them (about 92 000 rows at worst, a few megabytes; a handful in
 * practice). Model names longer than 128 characters count as `other`, as in the metrics. A summary lists at most
 * {@link maxSummaryRows} rows and models, the largest, and says how many it left out; its totals and its sums per
 * endpoint and key are whole.
 */
export const createCostLedger = (): CostLedger => {
  const buckets = createTimeBuckets<SpendFigures>({
    bucketMs, buckets: maxCostWindowMs / bucketMs, maxKeys: maxRowsPerBucket, overflowKey: rowKey('other', otherModels, null),
    create: () => ({ successUsd: 0, failedUsd: 0, abandonedUsd: 0, records: 0, unpriced: 0 }),
  });
  return {
    record(event) {
      const model = event.model.length > 128 ? 'other' : event.model;
      const caller = event.caller ?? null;
      // Past the minute's cap a model counts under its endpoint's and key's `other`: spend per endpoint and per key
      // stays whole (endpoints and key names come from the config), whatever model names callers send.
      const figures = buckets.at(event.at, rowKey(event.endpoint, model, caller), rowKey(event.endpoint, otherModels, caller));
      figures.records += 1;
      if (event.costUsd === undefined) {
        figures.unpriced += 1;
        return;
      }
      if (event.outcome === 'success') figures.successUsd += event.costUsd;
      else if (event.outcome === 'failed') figures.failedUsd += event.costUsd;
      else figures.abandonedUsd += event.costUsd;
    },
    summary(windowMs, now) {
      const window = Math.min(Math.max(windowMs, bucketMs), maxCostWindowMs);
      const rows = new Map<string, SpendFigures>();
      for (const [key, figures] of buckets.within(window, now)) {
        const sum = rows.get(key) ?? { successUsd: 0, failedUsd: 0, abandonedUsd: 0, records: 0, unpriced: 0 };
        sum.successUsd += figures.successUsd;
        sum.failedUsd += figures.failedUsd;
        sum.abandonedUsd += figures.abandonedUsd;
        sum.records += figures.records;
        sum.unpriced += figures.unpriced;
        rows.set(key, sum);
      }
      const all = [...rows].map(([key, figures]) => {
        const [endpoint, model, caller] = readRowKey(key);
        return toRow(endpoint, model, caller, figures);
      });
      const byTotal = (left: SpendRow, right: SpendRow) => right.totalUsd - left.totalUsd || compareNames(left.endpoint, right.endpoint) || compareNames(left.model, right.model);
      all.sort(byTotal);
      const totalUsd = all.reduce((sum, row) => sum + row.totalUsd, 0);
      const byModel = groupBy(all, (row) => row.model, (row) => ({ endpoint: '*', model: row.model, key: '*' })).sort(byTotal);
      return {
        windowSeconds: window / 1000, from: (Math.floor((now - window) / bucketMs)) * bucketMs, to: now,
        totalUsd, wastedUsd: all.reduce((sum, row) => sum + row.failedUsd, 0),
        rows: all.slice(0, maxSummaryRows), rowsOmitted: Math.max(0, all.length - maxSummaryRows),
        byEndpoint: groupBy(all, (row) => row.endpoint, (row) => ({ endpoint: row.endpoint, model: '*', key: '*' })).sort(byTotal),
        byModel: byModel.slice(0, maxSummaryRows), modelsOmitted: Math.max(0, byModel.length - maxSummaryRows),
        // A key's name cannot hold a NUL (the config allows letters, digits and `._-`): it stands for no key.
        byKey: groupBy(all, (row) => row.key ?? '\u0000', (row) => ({ endpoint: '*', model: '*', key: row.key })).sort(byTotal),
      };
    },
  };
};

const toRow = (endpoint: string, model: string, key: string | null, figures: SpendFigures): SpendRow => ({
  endpoint, model, key, successUsd: figures.successUsd, failedUsd: figures.failedUsd, abandonedUsd: figures.abandonedUsd,
  totalUsd: figures.successUsd + figures.failedUsd + figures.abandonedUsd, records: figures.records, unpriced: figures.unpriced,
});

/**
 * Sums rows by the one dimension `id` reads, under the identity `pick` gives them (`*` for the dimensions summed
 * over). One string per row, not an encoded identity: a day of rows is tens of thousands.
 */
const groupBy = (rows: readonly SpendRow[], id: (row: SpendRow) => string, pick: (row: SpendRow) => { endpoint: string; model: string; key: string | null }): SpendRow[] => {
  const groups = new Map<string, { identity: ReturnType<typeof pick>; figures: SpendFigures }>();
  for (const row of rows) {
    const key = id(row);
    const group = groups.get(key) ?? { identity: pick(row), figures: { successUsd: 0, failedUsd: 0, abandonedUsd: 0, records: 0, unpriced: 0 } };
    group.figures.successUsd += row.successUsd;
    group.figures.failedUsd += row.failedUsd;
    group.figures.abandonedUsd += row.abandonedUsd;
    group.figures.records += row.records;
    group.figures.unpriced += row.unpriced;
    groups.set(key, group);
  }
  return [...groups.values()].map(({ identity, figures }) => toRow(identity.endpoint, identity.model, identity.key, figures));
};
