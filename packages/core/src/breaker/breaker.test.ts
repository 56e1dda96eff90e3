import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { breakerSchema } from '../options/router-options-schema';
import {
  admitThroughBreaker, closedBreaker, openDuration, recordBreakerResult, type BreakerOptions, type BreakerState,
} from './breaker';

const options = (overrides: Partial<BreakerOptions> = {}): BreakerOptions => ({ ...breakerSchema.parse({}), ...overrides });

const fail = (state: BreakerState, now: number, opts: BreakerOptions, serverDelayMs?: number) => {
  const admission = admitThroughBreaker(state, now, opts);
  return recordBreakerResult(admission.state, { outcome: 'failure', generation: admission.generation, probe: admission.probe, now, serverDelayMs }, opts);
};
const succeed = (state: BreakerState, now: number, opts: BreakerOptions) => {
  const admission = admitThroughBreaker(state, now, opts);
  return recordBreakerResult(admission.state, { outcome: 'success', generation: admission.generation, probe: admission.probe, now }, opts);
};

describe('circuit breaker', () => {
  it('opens after the configured number of consecutive failures, not one before', () => {
    const opts = options({ consecutiveFailures: 3, minimumVolume: 1000 });
    let state = closedBreaker;
    state = fail(state, 0, opts);
    state = fail(state, 1, opts);
    expect(state.position).toBe('closed');
    state = fail(state, 2, opts);
    expect(state.position).toBe('open');
    expect(state.openUntil).toBe(2 + opts.openMs);
  });

  it('a success resets the consecutive count', () => {
    const opts = options({ consecutiveFailures: 2, minimumVolume: 1000 });
    let state = fail(closedBreaker, 0, opts);
    state = succeed(state, 1, opts);
    state = fail(state, 2, opts);
    expect(state.position).toBe('closed');
  });

  it('a failure that turns the last success into one continues the run that success ended (a cut stream)', () => {
    const opts = options({ consecutiveFailures: 4, minimumVolume: 1000 });
    const cut = (state: BreakerState, successAt: number, now: number) =>
      recordBreakerResult(state, { outcome: 'failure', generation: state.generation, probe: false, now, replacesSuccessAt: successAt }, opts);
    // Two failures, a stream's first event, one more failure, then the stream's cut: four in a row.
    let state = fail(fail(closedBreaker, 0, opts), 1, opts);
    state = succeed(state, 2, opts);
    state = fail(state, 3, opts);
    expect(state.consecutiveFailures).toBe(1);
    state = cut(state, 2, 4);
    expect(state.position).toBe('open');

    // A later success did end the run: the cut of an earlier stream is one failure.
    state = fail(fail(closedBreaker, 0, opts), 1, opts);
    state = succeed(succeed(state, 2, opts), 3, opts);
    state = cut(state, 2, 4);
    expect(state.consecutiveFailures).toBe(1);
    // The run a success ended is joined once: a second failure naming it (a request in the same millisecond) adds
    // only itself, 2 + 1 + 1.
    const five = options({ consecutiveFailures: 5, minimumVolume: 1000 });
    state = succeed(fail(fail(closedBreaker, 0, five), 1, five), 2, five);
    for (const now of [3, 4]) state = recordBreakerResult(state, { outcome: 'failure', generation: 0, probe: false, now, replacesSuccessAt: 2 }, five);
    expect(state.consecutiveFailures).toBe(4);
    expect(state.position).toBe('closed');
  });

  it('opens on a failure rate at exactly the threshold once the minimum volume is reached', () => {
    const opts = options({ consecutiveFailures: 100, failureRate: 0.5, minimumVolume: 4 });
    let state = closedBreaker;
    state = succeed(state, 0, opts);
    state = fail(state, 1, opts);
    state = succeed(state, 2, opts);
    expect(state.position).toBe('closed'); // 1 of 3: below volume anyway
    state = fail(state, 3, opts); // 2 of 4 = 0.5 ≥ 0.5
    expect(state.position).toBe('open');
  });

  it('does not trip on a rate below the minimum volume', () => {
    const opts = options({ consecutiveFailures: 100, failureRate: 0.5, minimumVolume: 10 });
    let state = closedBreaker;
    for (let index = 0; index < 9; index += 1) state = fail(state, index, opts);
    expect(state.position).toBe('closed');
  });

  it('forgets outcomes that slid out of the window', () => {
    const opts = options({ consecutiveFailures: 100, failureRate: 0.5, minimumVolume: 2, windowMs: 10_000, windowBuckets: 10 });
    let state = fail(closedBreaker, 0, opts);
    state = succeed(state, 1, opts); // resets consecutive, keeps the window
    state = succeed(state, 20_000, opts);
    state = fail(state, 20_001, opts); // the window holds 1 of 2 from now only
    expect(state.position).toBe('open');
  });

  it('rejects extra half-open probes instead of queueing them, and closes on a successful probe', () => {
    const opts = options({ consecutiveFailures: 1, halfOpenProbes: 2 });
    const open = fail(closedBreaker, 0, opts);
    expect(admitThroughBreaker(open, opts.openMs - 1, opts).admitted).toBe(false);
    const first = admitThroughBreaker(open, opts.openMs, opts);
    const second = admitThroughBreaker(first.state, opts.openMs, opts);
    const third = admitThroughBreaker(second.state, opts.openMs, opts);
    expect([first.probe, second.probe, third.admitted]).toEqual([true, true, false]);
    const closed = recordBreakerResult(third.state, { outcome: 'success', generation: first.generation, probe: true, now: opts.openMs }, opts);
    expect(closed.position).toBe('closed');
  });

  it('reopens for longer after a failed probe, up to the ceiling', () => {
    const opts = options({ consecutiveFailures: 1, openMs: 1000, openMultiplier: 2, maxOpenMs: 3000 });
    let state = fail(closedBreaker, 0, opts);
    expect(state.openUntil).toBe(1000);
    state = fail(state, 1000, opts);
    expect(state.openUntil - 1000).toBe(2000);
    state = fail(state, 3000, opts);
    expect(state.openUntil - 3000).toBe(3000);
  });

  it('stays open at least as long as a server-given delay', () => {
    const opts = options({ consecutiveFailures: 1, openMs: 1000 });
    expect(fail(closedBreaker, 0, opts, 45_000).openUntil).toBe(45_000);
  });

  it('ignores late results: they neither re-trigger nor extend an open breaker', () => {
    const opts = options({ consecutiveFailures: 1 });
    const before = admitThroughBreaker(closedBreaker, 0, opts); // an attempt that started while closed
    const open = fail(closedBreaker, 10, opts);
    const late = recordBreakerResult(open, { outcome: 'failure', generation: before.generation, probe: false, now: 20 }, opts);
    expect(late).toBe(open);
  });

  it('frees a probe slot on a neutral outcome without closing', () => {
    const opts = options({ consecutiveFailures: 1 });
    const probe = admitThroughBreaker(fail(closedBreaker, 0, opts), opts.openMs, opts);
    const after = recordBreakerResult(probe.state, { outcome: 'neutral', generation: probe.generation, probe: true, now: opts.openMs }, opts);
    expect(after.position).toBe('half_open');
    expect(after.probes).toEqual([]);
  });

  it('reclaims the slot of a probe that never reports', () => {
    const opts = options({ consecutiveFailures: 1, probeTimeoutMs: 1000 });
    const probe = admitThroughBreaker(fail(closedBreaker, 0, opts), opts.openMs, opts);
    expect(admitThroughBreaker(probe.state, opts.openMs + 999, opts).admitted).toBe(false);
    expect(admitThroughBreaker(probe.state, opts.openMs + 1000, opts).admitted).toBe(true);
  });

  describe('invariants', () => {
    const event = fc.record({
      kind: fc.constantFrom('admit', 'success', 'failure', 'neutral', 'late'),
      advance: fc.nat(3000),
      serverDelayMs: fc.option(fc.nat(100_000), { nil: undefined }),
    });

    it('never admits more concurrent half-open probes than configured, and never opens for less than configured', () => {
      fc.assert(
        fc.property(fc.array(event, { maxLength: 200 }), fc.integer({ min: 1, max: 3 }), (events, probes) => {
          const opts = options({ consecutiveFailures: 2, minimumVolume: 3, halfOpenProbes: probes, openMs: 1000, probeTimeoutMs: 1_000_000 });
          let state = closedBreaker;
          let now = 0;
          const inFlight: { generation: number; probe: boolean }[] = [];
          for (const step of events) {
            now += step.advance;
            if (step.kind === 'admit') {
              const admission = admitThroughBreaker(state, now, opts);
              state = admission.state;
              if (admission.admitted) inFlight.push(admission);
            } else {
              const attempt = step.kind === 'late' ? { generation: -1, probe: false } : inFlight.shift();
              if (!attempt) continue;
              const outcome = step.kind === 'late' ? 'failure' : step.kind;
              const before = state;
              state = recordBreakerResult(state, { outcome, generation: attempt.generation, probe: attempt.probe, now, serverDelayMs: step.serverDelayMs }, opts);
              if (state.position === 'open' && before.position !== 'open' && state.openUntil - now < opts.openMs) return false;
              if (state.position === 'open' && step.serverDelayMs !== undefined && before.position !== 'open' && state.openUntil - now < step.serverDelayMs) return false;
            }
            if (state.position === 'half_open' && state.probes.length > probes) return false;
          }
          return true;
        }),
      );
    });

    it('never closes without a successful probe once open', () => {
      fc.assert(
        fc.property(fc.array(event, { maxLength: 100 }), (events) => {
          const opts = options({ consecutiveFailures: 1 });
          let state = fail(closedBreaker, 0, opts);
          let now = 0;
          const inFlight: { generation: number; probe: boolean }[] = [];
          for (const step of events) {
            now += step.advance;
            if (step.kind === 'admit') {
              const admission = admitThroughBreaker(state, now, opts);
              state = admission.state;
              if (admission.admitted) inFlight.push(admission);
              continue;
            }
            const attempt = inFlight.shift();
            if (!attempt) continue;
            const outcome = step.kind === 'late' ? 'failure' : step.kind;
            const next = recordBreakerResult(state, { outcome, generation: attempt.generation, probe: attempt.probe, now }, opts);
            if (state.position !== 'closed' && next.position === 'closed' && !(outcome === 'success' && attempt.probe)) return false;
            state = next;
          }
          return true;
        }),
      );
    });
  });

  it('computes the grown open time', () => {
    const opts = options({ openMs: 1000, openMultiplier: 3, maxOpenMs: 5000 });
    expect([1, 2, 3].map((trips) => openDuration(trips, opts))).toEqual([1000, 3000, 5000]);
  });
});
