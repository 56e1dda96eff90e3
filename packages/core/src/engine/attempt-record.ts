import type { OutcomeKind } from '../classification/outcome-kind';

/** One upstream attempt, as reported in results and errors. Holds no keys. */
export interface AttemptRecord {
  readonly endpoint: string;
  /** 1-based. */
  readonly attempt: number;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly status: number | undefined;
  readonly kind: OutcomeKind;
  readonly reason: string;
  /** The server-directed delay it carried, when any. */
  readonly serverDelayMs: number | undefined;
  /** USD the provider may bill for it (failed attempts after a 2xx; the served attempt's full cost). */
  readonly costUsd: number | undefined;
}
