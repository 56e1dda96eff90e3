import type { Clock } from '../ports/clock';
import { priorities, type Priority } from './request-priority';

/** Shares of grants each class gets while all three wait: low is slowest but never starves. */
export const priorityWeights: Readonly<Record<Priority, number>> = { high: 9, normal: 3, low: 1 };

/** How a wait in the queue ended. */
export type QueueExit = 'granted' | 'aborted' | 'timeout';

/** One request waiting for quota. */
export interface QueueEntry<T> {
  readonly priority: Priority;
  readonly enqueuedAt: number;
  /** Tries to admit the entry now: returns what the waiter gets, or how long until it might fit. */
  readonly tryGrant: (now: number) => { granted: T } | { waitMs: number };
}

/** Options of {@link createAdmissionQueue}. */
export interface AdmissionQueueOptions {
  readonly clock: Clock;
  readonly maxLength: number;
  /** Entries looked at per class in one pass: bounds the work of a pump. @default 64 */
  readonly scanLimit?: number;
}

/**
 * A bounded, priority-classed wait for quota. Classes take turns by stride scheduling on
 * {@link priorityWeights} (9 : 3 : 1), so under contention high is served first most of the time and low still
 * gets one grant in thirteen. Within a class, entries are served in order, but a small request may pass a large
 * one that does not fit yet. Every wait is bounded by its own timeout and signal; nothing here sleeps unbounded.
 */
export interface AdmissionQueue<T> {
  readonly length: number;
  /** Entries per class. */
  depth(): Record<Priority, number>;
  /**
   * Waits until the entry is granted (resolves with what `tryGrant` gave), `timeoutMs` passes (resolves
   * `undefined`), or `signal` aborts (resolves `undefined` at once, the entry removed). Undefined at once when full.
   */
  wait(entry: QueueEntry<T>, timeoutMs: number, signal: AbortSignal): Promise<{ exit: QueueExit; granted: T | undefined }> | undefined;
  /** Looks for entries that fit now (call when quota comes back). */
  pump(): void;
}

interface Waiter<T> {
  readonly entry: QueueEntry<T>;
  readonly finish: (exit: QueueExit, granted: T | undefined) => void;
}

/** Creates an {@link AdmissionQueue}. */
export const createAdmissionQueue = <T>({ clock, maxLength, scanLimit = 64 }: AdmissionQueueOptions): AdmissionQueue<T> => {
  const classes: Record<Priority, Waiter<T>[]> = { high: [], normal: [], low: [] };
  const pass: Record<Priority, number> = { high: 0, normal: 0, low: 0 };
  let length = 0;
  let timer: unknown;
  let timerAt = Number.POSITIVE_INFINITY;
  let pumping = false;
  // Weighted fair queueing on virtual finish times: the class whose next grant would finish first goes next, so
  // a lone high request is never made to wait for a normal one's turn (ties go to the higher class).
  const finish = (priority: Priority) => pass[priority] + 1 / priorityWeights[priority];

  const remove = (waiter: Waiter<T>) => {
    const list = classes[waiter.entry.priority];
    const index = list.indexOf(waiter);
    if (index >= 0) {
      list.splice(index, 1);
      length -= 1;
    }
  };

  const schedule = (waitMs: number) => {
    const at = clock.now() + Math.max(1, waitMs);
    if (!Number.isFinite(at) || at >= timerAt) return;
    if (timer !== undefined) clock.cancel(timer);
    timerAt = at;
    timer = clock.schedule(() => {
      timer = undefined;
      timerAt = Number.POSITIVE_INFINITY;
      pump();
    }, at - clock.now());
  };

  /** The first waiter of a class that fits now, granting it; otherwise the shortest wait seen. */
  const grantIn = (priority: Priority, now: number): number | true => {
    const list = classes[priority];
    let shortest = Number.POSITIVE_INFINITY;
    for (let index = 0; index < Math.min(list.length, scanLimit); index += 1) {
      const waiter = list[index]!;
      const answer = waiter.entry.tryGrant(now);
      if ('granted' in answer) {
        list.splice(index, 1);
        length -= 1;
        waiter.finish('granted', answer.granted);
        return true;
      }
      shortest = Math.min(shortest, answer.waitMs);
    }
    return shortest;
  };

  function pump(): void {
    // A grant settles promises only; still, never re-enter a pass from inside one.
    if (pumping) return;
    pumping = true;
    try {
      for (;;) {
        const now = clock.now();
        const waiting = priorities.filter((priority) => classes[priority].length > 0).sort((a, b) => finish(a) - finish(b));
        if (waiting.length === 0) return;
        let granted = false;
        let shortest = Number.POSITIVE_INFINITY;
        for (const priority of waiting) {
          const result = grantIn(priority, now);
          if (result === true) {
            pass[priority] += 1 / priorityWeights[priority];
            granted = true;
            break;
          }
          shortest = Math.min(shortest, result);
        }
        if (!granted) {
          schedule(shortest);
          return;
        }
      }
    } finally {
      pumping = false;
    }
  }

  return {
    get length() {
      return length;
    },
    depth: () => ({ high: classes.high.length, normal: classes.normal.length, low: classes.low.length }),
    wait(entry, timeoutMs, signal) {
      if (length >= maxLength || signal.aborted) return undefined;
      return new Promise((resolve) => {
        let done = false;
        const finish = (exit: QueueExit, granted: T | undefined) => {
          if (done) return;
          done = true;
          clock.cancel(deadline);
          signal.removeEventListener('abort', onAbort);
          resolve({ exit, granted });
        };
        const waiter: Waiter<T> = { entry, finish };
        const onAbort = () => {
          remove(waiter);
          finish('aborted', undefined);
        };
        const deadline = clock.schedule(() => {
          remove(waiter);
          // Quota may return at the very instant the wait ends: one last look before giving up.
          const answer = entry.tryGrant(clock.now());
          if ('granted' in answer) finish('granted', answer.granted);
          else finish('timeout', undefined);
        }, timeoutMs);
        signal.addEventListener('abort', onAbort, { once: true });
        // A class that was idle starts level with the busiest, so it cannot bank turns while empty.
        const list = classes[entry.priority];
        if (list.length === 0) {
          const active = priorities.filter((priority) => classes[priority].length > 0).map((priority) => pass[priority]);
          if (active.length > 0) pass[entry.priority] = Math.max(pass[entry.priority], Math.min(...active));
        }
        list.push(waiter);
        length += 1;
        pump();
      });
    },
    pump,
  };
};
