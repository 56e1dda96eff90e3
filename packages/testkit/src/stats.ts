import type { ChaosStats, RequestRecord } from './types';

function increment(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

/**
 * Counts requests by path, model and outcome, and keeps the most recent records. Counters are exact for the whole
 * run; records are capped so a long benchmark does not hold every body in memory.
 */
export class StatsRecorder {
  private readonly recordLimit: number;
  private total = 0;
  private byPath: Record<string, number> = {};
  private byModel: Record<string, number> = {};
  private byOutcome: Record<string, number> = {};
  private records: RequestRecord[] = [];
  /** Records counted since the last reset, so a late outcome change of an older record leaves the counters alone. */
  private counted = new WeakSet<RequestRecord>();

  /** @param recordLimit how many records `snapshot().requests` keeps */
  constructor(recordLimit: number) {
    this.recordLimit = recordLimit;
  }

  /** Counts a request as it arrives. */
  add(record: RequestRecord): void {
    this.total += 1;
    increment(this.byPath, record.path);
    if (record.model !== undefined) increment(this.byModel, record.model);
    increment(this.byOutcome, record.outcome);
    this.counted.add(record);
    this.records.push(record);
    // Trim in batches: shifting one element per request would make every request pay for the cap.
    if (this.records.length >= this.recordLimit * 2) this.records = this.records.slice(-this.recordLimit);
  }

  /** Moves a record to another outcome, e.g. from `ok` to `client-aborted` when the client hangs up mid-stream. */
  setOutcome(record: RequestRecord, outcome: string): void {
    if (record.outcome === outcome) return;
    if (this.counted.has(record)) {
      increment(this.byOutcome, record.outcome, -1);
      if (this.byOutcome[record.outcome] === 0) delete this.byOutcome[record.outcome];
      increment(this.byOutcome, outcome);
    }
    record.outcome = outcome;
  }

  /** A copy of the counters and the most recent records. */
  snapshot(): ChaosStats {
    return {
      total: this.total,
      byPath: { ...this.byPath },
      byModel: { ...this.byModel },
      byOutcome: { ...this.byOutcome },
      requests: this.records.slice(-this.recordLimit),
    };
  }

  /** Records that arrived in `[fromMs, toMs]`. */
  between(fromMs: number, toMs: number): RequestRecord[] {
    return this.records.slice(-this.recordLimit).filter((record) => record.at >= fromMs && record.at <= toMs);
  }

  /** Forgets every counter and record. */
  reset(): void {
    this.total = 0;
    this.byPath = {};
    this.byModel = {};
    this.byOutcome = {};
    this.records = [];
    this.counted = new WeakSet();
  }
}
