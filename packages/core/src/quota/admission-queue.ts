import type { CallerSignal } from '../ports/caller-signal';
import type { Clock } from '../ports/clock';
import { priorities, type Priority } from './request-priority';

/** Shares of grants each class gets while all three wait: low is slowest but never starves. */
export const priorityWeights: Readonly<Record<Priority, number>> = { high: 9, normal: 3, low: 1 };

/**
 * How a wait in the queue ended: quota granted, the caller left, the wait ran out (a backstop: a forecast should
 * have said so first), or the forecast showed the request could not be admitted before `deadlineAt`.
 */
export type QueueExit = 'granted' | 'aborted' | 'timeout' | 'hopeless';

/**
 * Why admission refused a request: quota never returns by itself, not within `admission.maxQueueMs`, not before
 * the deadline (judged on arrival, counting the work queued ahead), the queue was full, the wait ran out, or a
 * waiter's prospects worsened (a higher class arrived ahead of it, the fleet spent quota) past its deadline.
 */
export type AdmissionRefusal = 'never' | 'wait_too_long' | 'deadline' | 'queue_full' | 'timeout' | 'hopeless';

/** An endpoint a waiter holds because it will fit there first; what else it says is the entries' business. */
export interface EndpointClaim {
  readonly endpoint: string;
}

/** What `tryGrant` answers when the entry does not fit now. */
export interface NotYet<C extends EndpointClaim = EndpointClaim> {
  /** How long until it might fit (for the queue's timer). */
  readonly waitMs: number;
  /**
   * The endpoint it will fit on first, if any: held for it, so that entries behind it (in class order) take quota
   * there only when that does not delay it (each entry's `tryGrant` judges that from the claim).
   */
  readonly claim?: C | undefined;
}

/** One request waiting for quota. `S` is the what-if model its `plan` runs on. */
export interface QueueEntry<T, S, C extends EndpointClaim = EndpointClaim> {
  readonly priority: Priority;
  readonly enqueuedAt: number;
  /** The last instant a grant is of use to the caller (its deadline less the attempt's own time, or maxQueueMs). */
  readonly deadlineAt: number;
  /**
   * Tries to admit the entry now, on a held endpoint (a key of `claimed`) only where that does not delay its
   * holder: what the waiter gets, or why not yet.
   */
  readonly tryGrant: (now: number, claimed: ReadonlyMap<string, C>) => { granted: T } | NotYet<C>;
  /** On the what-if model: the earliest instant ≥ `at` it would be admitted, taking its cost there; infinite when never. */
  readonly plan: (forecast: S, at: number) => number;
}

/** How a wait ended; `admitAt` is the forecast admission instant of a `hopeless` entry (infinite: never). */
export interface QueueResult<T> {
  readonly exit: QueueExit;
  readonly granted: T | undefined;
  readonly admitAt?: number | undefined;
}

/** Options of {@link createAdmissionQueue}. */
export interface AdmissionQueueOptions<S> {
  readonly clock: Clock;
  readonly maxLength: number;
  /** A fresh what-if copy of the quota model, to plan the queue on. */
  readonly forecast: () => S;
  /** Entries looked at per class in one pass: bounds the work of a pump. @default 64 */
  readonly scanLimit?: number;
  /**
   * Least time between two plans of the whole queue (one costs a look at every waiter): between them an arrival
   * plans only as far as itself. It bounds how long a waiter stays once its prospects are hopeless. @default 10
   */
  readonly reviewEveryMs?: number;
}

/**
 * A bounded, priority-classed wait for quota. Classes take turns by weighted fair queueing on
 * {@link priorityWeights} (9 : 3 : 1), so under contention high is served first most of the time and low still
 * gets one grant in thirteen. An entry that does not fit yet holds the endpoint it will fit on first: entries
 * behind it may take quota there only when that does not delay it (backfilling), so a large high request is not
 * starved by a stream of small low ones, and quota it does not need (requests, when it waits for tokens) is not idle.
 *
 * Every arrival plans the queue in grant order, as far as itself, on a what-if copy of the quota model, and is
 * refused at once (`hopeless`) when it would not be admitted before its `deadlineAt`. At most every
 * `reviewEveryMs` (on an arrival or a pump) the whole queue is planned so, and a waiter whose prospects have
 * worsened past its `deadlineAt` leaves then as `hopeless` rather than timing out at its deadline. Every wait is also
 * bounded by its own timer and signal; nothing here sleeps unbounded.
 */
export interface AdmissionQueue<T, S, C extends EndpointClaim = EndpointClaim> {
  readonly length: number;
  /** Entries per class. */
  depth(): Record<Priority, number>;
  /**
   * Waits until the entry is granted (resolves with what `tryGrant` gave), is found hopeless, `deadlineAt` passes,
   * or `signal` aborts (resolves at once, the entry removed). Answers at once, without queueing, with a `hopeless`
   * result when the plan cannot admit it in time, and with undefined when the queue is full.
   */
  wait(entry: QueueEntry<T, S, C>, signal: CallerSignal): Promise<QueueResult<T>> | QueueResult<T> | undefined;
  /** Looks for entries that fit now (call when quota comes back). */
  pump(): void;
}

interface Waiter<T, S, C extends EndpointClaim> {
  readonly entry: QueueEntry<T, S, C>;
  readonly finish: (result: QueueResult<T>) => void;
}

/** Creates an {@link AdmissionQueue}. */
export const createAdmissionQueue = <T, S, C extends EndpointClaim = EndpointClaim>({
  clock, maxLength, forecast, scanLimit = 64, reviewEveryMs = 20,
}: AdmissionQueueOptions<S>): AdmissionQueue<T, S, C> => {
  const classes: Record<Priority, Waiter<T, S, C>[]> = { high: [], normal: [], low: [] };
  const pass: Record<Priority, number> = { high: 0, normal: 0, low: 0 };
  let length = 0;
  let timer: unknown;
  let timerAt = Number.POSITIVE_INFINITY;
  let pumping = false;
  let reviewedAt = Number.NEGATIVE_INFINITY;
  // Weighted fair queueing on virtual finish times: the class whose next grant would finish first goes next, so
  // a lone high request is never made to wait for a normal one's turn (ties go to the higher class).
  const finishOf = (passes: Record<Priority, number>, priority: Priority) => passes[priority] + 1 / priorityWeights[priority];
  /** The next class to serve among those with entries left. */
  const nextClass = (passes: Record<Priority, number>, hasEntries: (priority: Priority) => boolean): Priority | undefined => {
    let next: Priority | undefined;
    for (const priority of priorities) {
      if (hasEntries(priority) && (next === undefined || finishOf(passes, priority) < finishOf(passes, next))) next = priority;
    }
    return next;
  };

  const remove = (waiter: Waiter<T, S, C>) => {
    const list = classes[waiter.entry.priority];
    const index = list.indexOf(waiter);
    if (index >= 0) {
      list.splice(index, 1);
      length -= 1;
    }
    dropTimerWhenEmpty();
  };

  // The last one out (granted, its caller left, a shutdown woke it): no look is due for nobody, and a timer left set
  // held a process that was closing open until quota came back.
  const dropTimerWhenEmpty = () => {
    if (length === 0 && timer !== undefined) {
      clock.cancel(timer);
      timer = undefined;
      timerAt = Number.POSITIVE_INFINITY;
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

  /**
   * Plans every waiter (and a newcomer, last of its class) in the order the queue would grant them, on a what-if
   * copy of the model: when each would be admitted if no one else arrived.
   */
  const simulate = (now: number, newcomer?: Waiter<T, S, C>, upToNewcomer = false): Map<Waiter<T, S, C>, number> => {
    const scratch = forecast();
    const lists: Record<Priority, Waiter<T, S, C>[]> = { high: [...classes.high], normal: [...classes.normal], low: [...classes.low] };
    const passes = { ...pass };
    if (newcomer) {
      lists[newcomer.entry.priority].push(newcomer);
      level(passes, newcomer.entry.priority);
    }
    const taken: Record<Priority, number> = { high: 0, normal: 0, low: 0 };
    const plans = new Map<Waiter<T, S, C>, number>();
    for (;;) {
      const priority = nextClass(passes, (candidate) => taken[candidate] < lists[candidate].length);
      if (priority === undefined) return plans;
      const waiter = lists[priority][taken[priority]]!;
      taken[priority] += 1;
      passes[priority] += 1 / priorityWeights[priority];
      plans.set(waiter, waiter.entry.plan(scratch, now));
      if (upToNewcomer && waiter === newcomer) return plans;
    }
  };

  /** Sends away every waiter that the plan cannot admit before its `deadlineAt`; the others can only gain by it. */
  const dismissHopeless = (plans: Map<Waiter<T, S, C>, number>) => {
    for (const [waiter, admitAt] of plans) {
      if (admitAt <= waiter.entry.deadlineAt) continue;
      remove(waiter);
      waiter.finish({ exit: 'hopeless', granted: undefined, admitAt });
    }
  };

  const review = (now: number) => {
    if (length === 0 || now - reviewedAt < reviewEveryMs) return;
    reviewedAt = now;
    dismissHopeless(simulate(now));
  };

  /** A class that was idle starts level with the busiest, so it cannot bank turns while empty. */
  const level = (passes: Record<Priority, number>, priority: Priority) => {
    if (classes[priority].length > 0) return;
    const active = priorities.filter((other) => classes[other].length > 0).map((other) => passes[other]);
    if (active.length > 0) passes[priority] = Math.max(passes[priority], Math.min(...active));
  };

  function pump(): void {
    // A grant settles promises only; still, never re-enter a pass from inside one. Every settle of every request
    // pumps, and the queue is nearly always empty: that costs one comparison, not a sorted copy of the classes.
    if (pumping || length === 0) return;
    pumping = true;
    try {
      for (;;) {
        const now = clock.now();
        const waiting = priorities.filter((priority) => classes[priority].length > 0).sort((a, b) => finishOf(pass, a) - finishOf(pass, b));
        if (waiting.length === 0) return;
        const claimed = new Map<string, C>();
        let granted = false;
        let shortest = Number.POSITIVE_INFINITY;
        scan: for (const priority of waiting) {
          const list = classes[priority];
          for (let index = 0; index < Math.min(list.length, scanLimit); index += 1) {
            const waiter = list[index]!;
            const answer = waiter.entry.tryGrant(now, claimed);
            if ('granted' in answer) {
              list.splice(index, 1);
              length -= 1;
              dropTimerWhenEmpty();
              pass[priority] += 1 / priorityWeights[priority];
              waiter.finish({ exit: 'granted', granted: answer.granted });
              granted = true;
              break scan;
            }
            shortest = Math.min(shortest, answer.waitMs);
            if (answer.claim !== undefined && !claimed.has(answer.claim.endpoint)) claimed.set(answer.claim.endpoint, answer.claim);
          }
        }
        if (!granted) {
          review(now);
          if (length > 0) schedule(shortest);
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
    wait(entry, signal) {
      if (length >= maxLength || signal.aborted) return undefined;
      const now = clock.now();
      let done = false;
      let resolve: (result: QueueResult<T>) => void = () => undefined;
      let deadline: unknown;
      const finish = (result: QueueResult<T>) => {
        if (done) return;
        done = true;
        if (deadline !== undefined) clock.cancel(deadline);
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const waiter: Waiter<T, S, C> = { entry, finish };
      const onAbort = () => {
        remove(waiter);
        finish({ exit: 'aborted', granted: undefined });
      };
      // Plan the queue with the newcomer in it: refuse it now rather than at its deadline, and (when a review is
      // due) let go anyone it pushes past theirs (a high arrival can do that to low waiters).
      const reviewing = now - reviewedAt >= reviewEveryMs;
      if (reviewing) reviewedAt = now;
      const plans = simulate(now, waiter, !reviewing);
      const admitAt = plans.get(waiter)!;
      if (admitAt > entry.deadlineAt) return { exit: 'hopeless', granted: undefined, admitAt };
      plans.delete(waiter);
      dismissHopeless(plans);
      const result = new Promise<QueueResult<T>>((settle) => {
        resolve = settle;
      });
      deadline = clock.schedule(
        () => {
          remove(waiter);
          // Quota may return at the very instant the wait ends: one last look before giving up.
          const answer = entry.tryGrant(clock.now(), new Map());
          if ('granted' in answer) finish({ exit: 'granted', granted: answer.granted });
          else finish({ exit: 'timeout', granted: undefined });
        },
        Math.max(1, entry.deadlineAt - now),
      );
      signal.addEventListener('abort', onAbort, { once: true });
      level(pass, entry.priority);
      classes[entry.priority].push(waiter);
      length += 1;
      pump();
      return result;
    },
    pump,
  };
};
