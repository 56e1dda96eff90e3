import type { ApiName } from '../apis/api-name';
import type { BreakerPosition } from '../breaker/breaker';
import type { OutcomeKind } from '../classification/outcome-kind';
import type { Usage } from '../pricing/usage';
import type { AdmissionRefusal, QueueExit } from '../quota/admission-queue';
import type { Priority } from '../quota/request-priority';
import type { DelaySource } from '../signals/read-provider-signals';

/**
 * Everything a router reports while it works, as a discriminated union on `type` (noun-verb names). `api` is the
 * request's API (`apiOfPath`), undefined for routes that belong to none.
 */
export type RouterEvent =
  | { type: 'attempt-start'; endpoint: string; attempt: number; model: string | undefined; api: ApiName | undefined; at: number }
  | {
      type: 'attempt-end'; endpoint: string; attempt: number; model: string | undefined; api: ApiName | undefined; kind: OutcomeKind;
      status: number | undefined; durationMs: number; reason: string; at: number;
    }
  /** The engine is about to wait `delayMs` before trying again (only when no endpoint can take the request now). */
  | { type: 'retry-wait'; endpoint: string | undefined; delayMs: number; reason: string; at: number }
  | { type: 'failover'; from: string; to: string; reason: string; at: number }
  /**
   * The request moved to another public model (`fallbacks`) because `endpoint` refused it under model `from` for
   * `reason` (`context_length_exceeded` or `content_policy`).
   */
  | { type: 'model-fallback'; from: string; to: string; reason: OutcomeKind; endpoint: string; at: number }
  | { type: 'breaker-change'; endpoint: string; from: BreakerPosition; to: BreakerPosition; openUntil: number; at: number }
  | {
      type: 'cooldown-start'; endpoint: string; model: string | undefined; until: number; disabled: boolean; reason: string; at: number;
      /** The provider's signal that set the delay (`retry-after`, `rate-limit-reset`…) and its value; undefined when none did. */
      delaySource?: DelaySource | undefined; delayMs?: number | undefined;
    }
  | {
      type: 'cost-record'; endpoint: string; model: string; api: ApiName | undefined; usage: Usage; costUsd: number | undefined;
      /**
       * `success`: a served response; `failed`: an attempt that failed after the provider started billing (a cut
       * or stalled stream included); `abandoned`: an answer the caller left before its end (a stream it cancelled,
       * aborted or stopped reading, a JSON answer it aborted mid-body), or the router's shutdown cut, billed up to
       * where it stopped.
       */
      outcome: 'success' | 'failed' | 'abandoned'; estimated: boolean; at: number;
      /** The request's `caller` label (a gateway key's name), when it gave one. */
      caller?: string | undefined;
    }
  /** No endpoint had the quota for the request now: it waits in the admission queue (`depth` counts it). */
  | { type: 'admission-queue'; priority: Priority; expectedWaitMs: number; depth: number; at: number }
  /** A queued request left the queue: granted quota on `endpoint`, its caller left, or its wait ran out. */
  | { type: 'admission-dequeue'; priority: Priority; exit: QueueExit; waitedMs: number; endpoint: string | undefined; at: number }
  /**
   * Admission refused the request (HTTP 503 with `retry-after`): on arrival, or from the queue as soon as its
   * plan showed the request could no longer be admitted in time (`hopeless`); see {@link AdmissionRefusal}.
   */
  | {
      type: 'admission-refuse'; priority: Priority; reason: AdmissionRefusal; retryAfterMs: number | undefined; at: number;
    }
  /** A request's token estimate against the usage its provider reported (prompt tokens, and all tokens). */
  | {
      type: 'quota-estimate'; endpoint: string; model: string | undefined; estimatedInputTokens: number; inputTokens: number;
      estimatedTokens: number; tokens: number; at: number;
    }
  /**
   * A committed stream was cut (or stalled) and Detour tried to finish the answer elsewhere. Emitted once per
   * rescue, when it is decided: `rescued` (the stream went on and ended whole), `diverged` (a replay did not repeat
   * the delivered text; the caller got an error event), `failed` (no rescue attempt served, or the rescued stream
   * broke too, or none was tried because the answer delivered passed `maxResponseBytes`). `mode` is the last
   * target's: `continue` or `replay`; undefined when no attempt served.
   */
  | {
      type: 'stream-rescue'; from: string; to: string | undefined; mode: 'continue' | 'replay' | undefined;
      outcome: 'rescued' | 'diverged' | 'failed'; reason: string; at: number;
    }
  /**
   * A committed stream's part on one endpoint ended: each stream has one, a rescued one one per endpoint that carried
   * it. Its attempt's `attempt-end` said `success` when the first event came; this says how the stream ended:
   * `complete`; `interrupted` (the endpoint cut it or sent an error event) or `stalled` (it went silent past
   * `streamIdleTimeoutMs`), the two that count against the endpoint; `deadline` (`streamDeadline: 'total'`);
   * `diverged` (a rescue's replay did not repeat the delivered text); `client_closed` (the caller cancelled or
   * aborted), `client_idle` (it stopped reading) or `shutdown` (the router was shut down, its close out of grace, and
   * cut it; counted against no endpoint). `durationMs` runs from the attempt's start to the end, where
   * `attempt-end`'s stops at the first event. `reason` says why it did not complete.
   */
  | {
      type: 'stream-end'; endpoint: string; model: string | undefined; api: ApiName | undefined;
      outcome: 'complete' | 'interrupted' | 'stalled' | 'deadline' | 'diverged' | 'client_closed' | 'client_idle' | 'shutdown';
      reason: string | undefined; durationMs: number; at: number;
      /** From the attempt's start to its first event, when its `attempt-end` counted it a success. */
      firstByteMs: number;
    }
  /**
   * Emitted exactly once per routed request, however it ended. `code` is undefined on success, else a Detour error
   * code (`attempts_exhausted`, `deadline_exceeded`, `aborted`, `no_endpoint_available`, `stream_interrupted`…),
   * `client_closed` (the caller cancelled or aborted a stream), `client_idle` (it stopped reading a stream without
   * cancelling it), `router_closed` (the router's shutdown ended it in flight) or `internal_error` (an exception, e.g.
   * from a store).
   */
  | {
      type: 'request-end'; ok: boolean; endpoint: string | undefined; attempts: number; durationMs: number;
      firstByteMs: number | undefined; stream: boolean; api: ApiName | undefined; code: string | undefined; at: number;
      /**
       * The endpoint whose answer's first byte `firstByteMs` measures: `endpoint`, but for a rescued stream, where
       * `endpoint` is the one that carried it last and the first byte came from the first.
       */
      firstByteEndpoint?: string | undefined;
    };

/** A subscription that can be ended; long-lived gateways must end what they start. */
export interface Disposable {
  dispose(): void;
}

/** A tiny typed event hub: listeners are plain functions; subscribing returns a disposable. */
export interface EventHub {
  emit(event: RouterEvent): void;
  subscribe(listener: (event: RouterEvent) => void): Disposable;
  /** True when someone listens, so hot paths can skip building events nobody reads. */
  readonly active: boolean;
}

/** Creates an {@link EventHub}. A throwing listener is isolated: it never breaks a request. */
export const createEventHub = (): EventHub => {
  const listeners = new Set<(event: RouterEvent) => void>();
  return {
    get active() {
      return listeners.size > 0;
    },
    emit(event) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch {
          // A metrics bug must not fail a user's request.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return { dispose: () => void listeners.delete(listener) };
    },
  };
};
