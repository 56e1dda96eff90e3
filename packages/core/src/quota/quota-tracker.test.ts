import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createQuotaLedger } from '../state/quota-ledger';
import { createQuotaTracker, type QuotaCost } from './quota-tracker';
import { readQuotaHeaders } from './read-quota-headers';

const one = (tokens = 0): QuotaCost => ({ requests: 1, inputTokens: tokens, outputTokens: 0 });

describe('quota tracker', () => {
  it('admits everything while it knows nothing', () => {
    const tracker = createQuotaTracker();
    expect(tracker.active).toBe(false);
    expect(tracker.waitMs('a', 'm', one(1e9), 0)).toBe(0);
    expect(tracker.headroom('a', 'm', one(1e9), 0)).toBe(1);
  });

  it('refills by the reset: full at the instant the provider said', () => {
    const tracker = createQuotaTracker();
    tracker.observe('a', 'm', { requests: { remaining: 0, limit: 60, resetMs: 60_000 } }, 0);
    expect(tracker.waitMs('a', 'm', one(), 0)).toBe(1000);
    expect(tracker.waitMs('a', 'm', one(), 1000)).toBe(0);
    expect(tracker.remaining(60_000).get('a')).toEqual({ requests: 60 });
    expect(tracker.remaining(90_000).get('a')).toEqual({ requests: 60 });
  });

  it('says when each dimension is whole again: the reset a provider sent, the longest of an endpoint\'s models', () => {
    const tracker = createQuotaTracker({ limits: new Map([['c', { rpm: 60 }]]) });
    tracker.observe('a', 'm', { requests: { remaining: 0, limit: 60, resetMs: 60_000 }, tokens: { remaining: 5000, limit: 10_000, resetMs: 6000 } }, 0);
    tracker.observe('a', 'n', { requests: { remaining: 30, limit: 60, resetMs: 30_000 } }, 0);
    expect(tracker.resetsIn(0).get('a')).toEqual({ requests: 60_000, tokens: 6000 });
    expect(tracker.resetsIn(17_000).get('a')).toEqual({ requests: 43_000, tokens: 0 });
    // A reading no answer renewed lapses a window (12 s for those tokens) after it was whole again (attack 24).
    expect(tracker.resetsIn(18_000).get('a')).toEqual({ requests: 42_000 });
    expect(tracker.resetsIn(60_000).get('a')).toEqual({ requests: 0 });
    expect(tracker.resetsIn(120_000).get('a')).toEqual({});
    // A configured limit refills over its minute; a reading without a limit holds until its own reset.
    tracker.reserve('c', 'm', one(), 0);
    expect(tracker.resetsIn(0).get('c')).toEqual({ requests: 1000 });
    tracker.observe('b', 'm', { requests: { remaining: 0, limit: undefined, resetMs: 20_000 } }, 0);
    expect(tracker.resetsIn(5000).get('b')).toEqual({ requests: 15_000 });
    expect(tracker.resetsIn(20_000).get('b')).toEqual({});
  });

  it('lets a reading no answer renews lapse a window after the bucket would be whole: one 429 does not hold the limit for good (attack 24)', () => {
    const tracker = createQuotaTracker();
    // One 429 of a 60 rpm limit, then answers that carry no figures (the provider raised the limit, or stopped saying).
    tracker.observe('a', 'm', { requests: { remaining: 0, limit: 60, resetMs: 60_000 } }, 0);
    let admitted = 0;
    for (let at = 0; at < 120_000; at += 250) {
      if (tracker.waitMs('a', 'm', one(), at) > 0) continue;
      tracker.reserve('a', 'm', one(), at);
      admitted += 1;
    }
    // A request a second while the reading stands: whole again at 60 s, lapsed a window (60 s) after.
    expect(admitted).toBe(119);
    for (let count = 0; count < 100; count += 1) {
      expect(tracker.waitMs('a', 'm', one(), 120_000)).toBe(0);
      tracker.reserve('a', 'm', one(), 120_000);
    }
    // An answer that carries the figures again renews it (the hundred requests still out count against it).
    tracker.observe('a', 'm', { requests: { remaining: 0, limit: 60, resetMs: 60_000 } }, 120_000);
    expect(tracker.waitMs('a', 'm', one(), 120_000)).toBeGreaterThan(60_000);
  });

  it('plans as it admits after a reading of a zero limit, which only a fleet ledger could carry (review of attack 24)', () => {
    const tracker = createQuotaTracker();
    tracker.observe('a', 'm', { requests: { remaining: 0, limit: 0, resetMs: 1000 } }, 0);
    const planned = tracker.forecast().admit([{ endpoint: 'a', model: 'm' }], one(), 10);
    expect(Number.isFinite(planned)).toBe(true);
    expect(tracker.waitMs('a', 'm', one(), planned)).toBe(0);
  });

  it('counts reservations made after the reporting request, not the ones the provider already counted', () => {
    const tracker = createQuotaTracker();
    tracker.observe('a', 'm', { requests: { remaining: 10, limit: 10, resetMs: 60_000 } }, 0);
    const first = tracker.reserve('a', 'm', one(), 0);
    const second = tracker.reserve('a', 'm', one(), 0);
    expect(tracker.remaining(0).get('a')!.requests).toBe(8);
    // The first request's answer says 9 left: it counted the first, not the second.
    tracker.observe('a', 'm', { requests: { remaining: 9, limit: 10, resetMs: 6000 } }, 0, first);
    expect(tracker.remaining(0).get('a')!.requests).toBe(8);
    tracker.settle(first, { reached: true }, 0);
    tracker.settle(second, { reached: false }, 0);
    expect(tracker.remaining(0).get('a')!.requests).toBe(9);
    expect(tracker.outstanding).toBe(0);
  });

  it('a reading counts exactly the reservations made after its request and still outstanding (property)', () => {
    // A plain model of the rule, walked in full, against the tracker's running totals.
    const step = fc.oneof(
      fc.record({ op: fc.constant('reserve' as const), tokens: fc.integer({ min: 0, max: 500 }), endpoint: fc.constantFrom('a', 'b') }),
      fc.record({ op: fc.constant('settle' as const), pick: fc.nat() }),
      fc.record({ op: fc.constant('observe' as const), pick: fc.option(fc.nat(), { nil: undefined }), endpoint: fc.constantFrom('a', 'b') }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const tracker = createQuotaTracker();
        const made: { reservation: ReturnType<typeof tracker.reserve>; settled: boolean }[] = [];
        for (const next of steps) {
          if (next.op === 'reserve') {
            made.push({ reservation: tracker.reserve(next.endpoint, 'm', one(next.tokens), 0), settled: false });
          } else if (next.op === 'settle') {
            const entry = made[next.pick % Math.max(1, made.length)];
            if (!entry || entry.settled) continue;
            entry.settled = true;
            tracker.settle(entry.reservation, { reached: true }, 0);
          } else {
            const reporting = next.pick === undefined || made.length === 0 ? undefined : made[next.pick % made.length]!.reservation;
            tracker.observe(next.endpoint, 'm', { tokens: { remaining: 1e6, limit: 1e6, resetMs: 60_000 } }, 0, reporting);
            // Outstanding on this endpoint, made after the reporting request (all of them, for a reading from nowhere).
            const later = made
              .filter(({ reservation, settled }) => !settled && reservation.endpoint === next.endpoint && reservation !== reporting && (reporting === undefined || reservation.id > reporting.id))
              .reduce((sum, { reservation }) => sum + reservation.cost.inputTokens, 0);
            const left = tracker.remaining(0).get(next.endpoint)?.tokens;
            if (left !== 1e6 - later) return false;
          }
        }
        return true;
      }),
    );
  });

  it('gives back unspent tokens, and nothing twice', () => {
    const tracker = createQuotaTracker({ limits: new Map([['a', { tpm: 1000 }]]) });
    const reservation = tracker.reserve('a', undefined, { requests: 1, inputTokens: 300, outputTokens: 500 }, 0);
    expect(tracker.remaining(0).get('a')!.tokens).toBe(200);
    tracker.settle(reservation, { reached: true, inputTokens: 250, outputTokens: 50 }, 0);
    tracker.settle(reservation, { reached: false }, 0);
    expect(tracker.remaining(0).get('a')!.tokens).toBe(700);
  });

  it('refills an IETF policy over its window instead of holding r=0 until t', () => {
    const tracker = createQuotaTracker();
    const headers = { ratelimit: '"requests";r=0;t=60', 'ratelimit-policy': '"requests";q=60;w=60' };
    tracker.observe('a', 'm', readQuotaHeaders(headers, 0), 0);
    expect(tracker.waitMs('a', 'm', one(), 0)).toBe(1000);
    expect(tracker.waitMs('a', 'm', one(), 1000)).toBe(0);
    // Never more than what has refilled: two requests need two seconds.
    tracker.reserve('a', 'm', one(), 1000);
    expect(tracker.waitMs('a', 'm', one(), 1000)).toBe(1000);
  });

  it('holds a reading without a limit only until its reset', () => {
    const tracker = createQuotaTracker();
    tracker.observe('a', 'm', readQuotaHeaders({ ratelimit: '"default";r=0;t=10' }, 0), 0);
    expect(tracker.waitMs('a', 'm', one(), 0)).toBe(10_000);
    expect(tracker.waitMs('a', 'm', one(), 10_000)).toBe(0);
  });

  it('lets a request larger than a reading without a limit go while what it says is left is whole', () => {
    const tracker = createQuotaTracker();
    // Azure's `remaining` alone: 900 tokens left, no limit, no reset.
    tracker.observe('a', 'm', readQuotaHeaders({ 'x-ratelimit-remaining-tokens': '900' }, 0), 0);
    const large = { requests: 1, inputTokens: 100, outputTokens: 1_900 };
    expect(tracker.waitMs('a', 'm', large, 0)).toBe(0);
    // Spent, it waits out the reading as any request would.
    tracker.reserve('a', 'm', large, 0);
    expect(tracker.waitMs('a', 'm', large, 0)).toBeGreaterThan(0);
  });


  it('believes no reset later than a day: one lying answer cannot close an endpoint for longer', () => {
    const day = 86_400_000;
    const tracker = createQuotaTracker();
    // `x-ratelimit-reset-requests: 999999h` on an answer that was otherwise fine.
    const lie = readQuotaHeaders({ 'x-ratelimit-limit-requests': '100', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '999999h' }, 0);
    tracker.observe('a', 'm', lie, 0);
    expect(tracker.waitMs('a', 'm', one(), 0)).toBe(day / 100);
    // Without a limit the reading holds until its reset: a day at most.
    tracker.observe('b', 'm', readQuotaHeaders({ ratelimit: '"default";r=0;t=99999999' }, 0), 0);
    expect(tracker.waitMs('b', 'm', one(), 0)).toBe(day);
    expect(tracker.waitMs('b', 'm', one(), day)).toBe(0);
  });
  it('doubts an answer that did not refuse when it puts a limit\'s refill far slower than the last reading taught (attack 24, S5)', () => {
    const tracker = createQuotaTracker();
    const read = (endpoint: string, remaining: number, reset: string, refusal = false) =>
      tracker.observe(endpoint, 'm', readQuotaHeaders({ 'x-ratelimit-limit-tokens': '150000', 'x-ratelimit-remaining-tokens': String(remaining), 'x-ratelimit-reset-tokens': reset }, 0), 0, undefined, refusal);
    // A minute's window taught (10,000 tokens back in 4 s), then one success that says "none left for 24 hours".
    read('a', 140_000, '4s');
    read('a', 0, '24h');
    // Refilled at the rate taught: 1,500 tokens in 600 ms, where the day's rate took 864 s.
    expect(tracker.waitMs('a', 'm', one(1500), 0)).toBe(600);
    // The same from a 429 is believed: the provider refused.
    read('b', 140_000, '4s');
    read('b', 0, '24h', true);
    expect(tracker.waitMs('b', 'm', one(1500), 0)).toBe(864_000);
    // A reading of its own is believed, as is one a few times slower than the last (a limit's readings jitter).
    read('c', 0, '24h');
    expect(tracker.waitMs('c', 'm', one(1500), 0)).toBe(864_000);
    read('d', 140_000, '4s');
    read('d', 0, '8m');
    expect(tracker.waitMs('d', 'm', one(1500), 0)).toBe(4800);
    // Once a 429 has taught the day, answers that say the same are believed.
    read('b', 0, '24h');
    expect(tracker.waitMs('b', 'm', one(1500), 0)).toBe(864_000);
  });

  // The review of the doubt: a reading that implied a fast refill taught it for good, and every truthful one after was
  // doubted (10,221 upstream 429s in 10 minutes where 115 were right).
  it('doubts one reading at most: a second in a row that says about the same is believed and teaches', () => {
    const tracker = createQuotaTracker();
    const read = (remaining: number, reset: string, refusal = false) =>
      tracker.observe('a', 'm', readQuotaHeaders({ 'x-ratelimit-limit-requests': '600', 'x-ratelimit-remaining-requests': String(remaining), 'x-ratelimit-reset-requests': reset }, 0), 0, undefined, refusal);
    read(590, '1s');
    // A lying success that says the bucket refills at once teaches that (it is not slower than what was taught).
    read(0, '1ms');
    // The truth is doubted once (the bucket refills as taught: a millisecond), then believed: one request back in 100 ms.
    read(0, '60s');
    expect(tracker.waitMs('a', 'm', one(), 0)).toBeLessThanOrEqual(1);
    read(0, '60s');
    expect(tracker.waitMs('a', 'm', one(), 0)).toBe(100);
    // A 429's reset may be the time until one request is back: its figures are believed as they are, and may slow
    // what was taught, never speed it up, so the truthful success after it is not doubted.
    read(0, '100ms', true);
    expect(tracker.waitMs('a', 'm', one(), 0)).toBeLessThanOrEqual(1);
    read(0, '60s');
    expect(tracker.waitMs('a', 'm', one(), 0)).toBe(100);
  });

  // The third review: a first reading that was a 429 saying "one back in 100 ms" taught that rate, and every truthful
  // answer after it was doubted while 429s came between them (6,000 upstream 429s in 10 minutes where 10 were right);
  // and a success sent before a 429 but answered after it taught the fast rate again, so the answer that truly spent
  // the key was doubted.
  it('lets a 429 slow the rate taught but never set one, and believes a reading that says what the last 429 said', () => {
    const tracker = createQuotaTracker();
    const read = (endpoint: string, remaining: number, reset: string, refusal = false) =>
      tracker.observe(endpoint, 'm', readQuotaHeaders({ 'x-ratelimit-limit-requests': '600', 'x-ratelimit-remaining-requests': String(remaining), 'x-ratelimit-reset-requests': reset }, 0), 0, undefined, refusal);
    read('a', 0, '100ms', true);
    for (let index = 0; index < 3; index += 1) {
      read('a', 0, '60s');
      expect(tracker.waitMs('a', 'm', one(), 0)).toBe(100);
      read('a', 0, '100ms', true);
    }
    // A minute taught; a 429 says 14 hours; a success in flight from before it says 5,000 left; then the answer that
    // spent the key says what the 429 said, and is believed.
    read('b', 590, '1s');
    read('b', 0, '14h', true);
    read('b', 590, '1s');
    read('b', 0, '14h');
    expect(tracker.waitMs('b', 'm', one(), 0)).toBe(84_000);
  });

  it("holds a 429's word until its reset, and doubts the same lie after it", () => {
    const tracker = createQuotaTracker();
    const read = (remaining: number, reset: string, at: number, refusal = false) =>
      tracker.observe('a', 'm', readQuotaHeaders({ 'x-ratelimit-limit-requests': '600', 'x-ratelimit-remaining-requests': String(remaining), 'x-ratelimit-reset-requests': reset }, at), at, undefined, refusal);
    read(590, '1s', 0);
    read(0, '1h', 1000, true);
    // The provider is back after the hour, and a success then says "none left for an hour" again: a lie, doubted.
    read(590, '1s', 3_700_000);
    read(0, '1h', 3_701_000);
    expect(tracker.waitMs('a', 'm', one(), 3_701_000)).toBe(100);
  });

  it("believes what the fleet reports: each member reports what it believed, with no word of the answer's status", () => {
    const first = createQuotaTracker();
    const second = createQuotaTracker();
    const spent = { 'x-ratelimit-limit-requests': '600', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '14h' };
    // The second member learned a minute's window from its own answers; the first drew a 429 that says 14 hours.
    second.observe('a', 'm', readQuotaHeaders({ 'x-ratelimit-limit-requests': '600', 'x-ratelimit-remaining-requests': '590', 'x-ratelimit-reset-requests': '1s' }, 0), 0);
    first.observe('a', 'm', readQuotaHeaders(spent, 0), 1, undefined, true);
    second.adoptFleet(first.drainReport(), [], 2);
    expect(second.waitMs('a', 'm', one(), 2)).toBe(first.waitMs('a', 'm', one(), 2));
    expect(second.waitMs('a', 'm', one(), 2)).toBeGreaterThan(80_000);
    // What it adopted taught it nothing of its own: its next truthful answer is believed, and a lie on its own answer
    // after that, which says what the adopted reading said, is still doubted.
    second.observe('a', 'm', readQuotaHeaders({ 'x-ratelimit-limit-requests': '600', 'x-ratelimit-remaining-requests': '590', 'x-ratelimit-reset-requests': '1s' }, 0), 3);
    expect(second.waitMs('a', 'm', one(), 3)).toBe(0);
    second.observe('a', 'm', readQuotaHeaders(spent, 0), 4);
    expect(second.waitMs('a', 'm', one(), 4)).toBe(100);
  });

  it('keeps separate models apart and bounds how many it keeps', () => {
    const tracker = createQuotaTracker({ maxKeys: 2 });
    tracker.observe('a', 'x', { requests: { remaining: 0, limit: 1, resetMs: 1000 } }, 0);
    tracker.observe('a', '__proto__', { requests: { remaining: 1, limit: 1, resetMs: 1000 } }, 0);
    expect(tracker.waitMs('a', 'x', one(), 0)).toBeGreaterThan(0);
    expect(tracker.waitMs('a', '__proto__', one(), 0)).toBe(0);
    tracker.observe('a', 'z', { requests: { remaining: 0, limit: 1, resetMs: 1000 } }, 0);
    // The oldest pair was forgotten.
    expect(tracker.waitMs('a', 'x', one(), 0)).toBe(0);
  });

  it('forgets the pair read longest ago, not the first made: a busy model outlives a flood of new names (the fourteenth attack)', () => {
    const tracker = createQuotaTracker({ maxKeys: 3 });
    const spent = { requests: { remaining: 0, limit: 1, resetMs: 1000 } };
    tracker.observe('a', 'busy', spent, 0);
    for (let index = 0; index < 10; index += 1) {
      tracker.observe('a', `junk-${index}`, { requests: { remaining: 1, limit: 1, resetMs: 1000 } }, 0);
      // The busy model answers between the junk names, and each answer is a reading.
      tracker.observe('a', 'busy', spent, 0);
    }
    expect(tracker.waitMs('a', 'busy', one(), 0)).toBeGreaterThan(0);
  });

  it('gives proportionally less headroom as quota runs down, with no cliff', () => {
    const tracker = createQuotaTracker();
    const shares = [100, 50, 10, 2].map((remaining) => {
      tracker.observe('a', 'm', { tokens: { remaining, limit: 100, resetMs: 60_000 } }, 0);
      return tracker.headroom('a', 'm', one(1), 0);
    });
    expect(shares).toEqual([0.99, 0.49, 0.09, 0.01]);
  });

  // Issue 17's law: whatever happens between two readings, what is admitted never exceeds the last observed
  // remaining plus what has refilled by the reset (linearly to the limit at the reset). A full bucket's reading
  // gives no rate (a token bucket that is full has nothing to refill by its reset), so there the bound is the
  // documented fallback: the limit refills over a minute.
  it('never admits more than the last remaining plus what has refilled by its reset', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 120_000 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 50 }), fc.boolean()), { maxLength: 200 }),
        (limit, remainingRaw, resetMs, steps) => {
          const remaining = Math.min(limit, remainingRaw);
          const tracker = createQuotaTracker();
          tracker.observe('a', 'm', { tokens: { remaining, limit, resetMs } }, 0);
          let now = 0;
          let admitted = 0;
          for (const [advance, tokens, refund] of steps) {
            now += advance;
            const cost = { requests: 0, inputTokens: tokens, outputTokens: 0 };
            if (tracker.waitMs('a', 'm', cost, now) === 0) {
              const reservation = tracker.reserve('a', 'm', cost, now);
              admitted += tokens;
              // A refunded reservation gives its tokens back: it spent nothing.
              if (refund) {
                tracker.settle(reservation, { reached: false }, now);
                admitted -= tokens;
              }
            }
            // A full bucket says nothing of its rate, so the model refills it as a per-minute limit does.
            const refilled =
              remaining === limit
                ? (limit / 60_000) * now
                : Math.min(limit - remaining, ((limit - remaining) / resetMs) * now) + (now > resetMs ? (limit * (now - resetMs)) / resetMs : 0);
            // Requests larger than the bucket wait for a full one, then take it all: allow one such overshoot.
            if (admitted > remaining + refilled + 50 + 1e-6) return false;
          }
          return true;
        },
      ),
    );
  });

  it('settles every reservation exactly once, whatever the order of readings and endings', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant('reserve'), fc.constant('observe'), fc.nat(20)), { maxLength: 100 }),
        (script) => {
          const tracker = createQuotaTracker({ limits: new Map([['a', { rpm: 1000, tpm: 100_000 }]]) });
          const open: ReturnType<typeof tracker.reserve>[] = [];
          let now = 0;
          for (const step of script) {
            now += 10;
            if (step === 'reserve') open.push(tracker.reserve('a', 'm', one(10), now));
            else if (step === 'observe') tracker.observe('a', 'm', { requests: { remaining: 500, limit: 1000, resetMs: 1000 } }, now, open[0]);
            else if (open.length > 0) tracker.settle(open.splice(step % open.length, 1)[0]!, { reached: step % 2 === 0 }, now);
          }
          for (const reservation of open) tracker.settle(reservation, { reached: true, inputTokens: 10, outputTokens: 0 }, now);
          const remaining = tracker.remaining(now + 120_000).get('a')!;
          return tracker.outstanding === 0 && remaining.tokens === 100_000 && remaining.requests! <= 1000;
        },
      ),
    );
  });

  // The admission queue plans on a what-if copy: what it plans must be what the model admits at those instants,
  // and planning must leave the model as it was.
  it('plans on a copy exactly what the model would admit, when it would, without touching the model', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 40 }),
        (limit, remainingRaw, resetMs, sizes) => {
          const tracker = createQuotaTracker();
          tracker.observe('a', 'm', { tokens: { remaining: Math.min(limit, remainingRaw), limit, resetMs } }, 0);
          const before = tracker.remaining(0).get('a');
          const forecast = tracker.forecast();
          const plan = sizes.map((size) => ({ size, at: forecast.admit([{ endpoint: 'a', model: 'm' }], { requests: 0, inputTokens: size, outputTokens: 0 }, 0) }));
          if (JSON.stringify(tracker.remaining(0).get('a')) !== JSON.stringify(before)) return false;
          // The first plan is the earliest (to the millisecond the model's own rounding up may add).
          const first = { requests: 0, inputTokens: plan[0]!.size, outputTokens: 0 };
          if (plan[0]!.at >= 2 && tracker.waitMs('a', 'm', first, plan[0]!.at - 2) === 0) return false;
          for (const { size, at } of plan) {
            const cost = { requests: 0, inputTokens: size, outputTokens: 0 };
            // Fits at the planned instant (so planning never promises more than the model admits).
            if (tracker.waitMs('a', 'm', cost, at) !== 0) return false;
            tracker.reserve('a', 'm', cost, at);
          }
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('plans across endpoints: each admits in order, the earliest fit wins, and never means infinite', () => {
    const tracker = createQuotaTracker({ limits: new Map([['slow', { rpm: 60 }], ['never', { rpm: 1 }]]) });
    const targets = [{ endpoint: 'slow', model: undefined }, { endpoint: 'never', model: undefined }];
    // Spend both buckets: 'slow' refills one request a second, 'never' one a minute.
    for (let index = 0; index < 60; index += 1) tracker.reserve('slow', undefined, one(0), 0);
    tracker.reserve('never', undefined, one(0), 0);
    const forecast = tracker.forecast();
    const times = [0, 1, 2].map(() => forecast.admit(targets, one(0), 0));
    expect(times).toEqual([1000, 2000, 3000]);
    expect(forecast.admit([{ endpoint: 'unknown', model: undefined }], one(0), 5)).toBe(5);
    expect(tracker.waitMs('slow', undefined, one(0), 0)).toBe(1000);
  });
  it('wants a reading while it has none or under half is left, and at most one a millisecond while there is room', () => {
    const tracker = createQuotaTracker();
    const plenty = { requests: { remaining: 9000, limit: 10_000, resetMs: 6 } };
    expect(tracker.readingDue('a', 'm', 0)).toBe(true);
    tracker.observe('a', 'm', plenty, 0);
    expect(tracker.readingDue('a', 'm', 0)).toBe(false);
    // Each (endpoint, model) pair has its own readings.
    expect(tracker.readingDue('a', 'n', 0)).toBe(true);
    expect(tracker.readingDue('b', 'm', 0)).toBe(true);
    expect(tracker.readingDue('a', 'm', 1)).toBe(true);
    // Half is left only after this router's own requests in flight: those count as spent.
    const inFlight = Array.from({ length: 5000 }, () => tracker.reserve('a', 'm', one(), 1));
    tracker.observe('a', 'm', plenty, 1, inFlight[0]);
    expect(tracker.remaining(1).get('a')).toEqual({ requests: 4001 });
    expect(tracker.readingDue('a', 'm', 1)).toBe(true);
    for (const reservation of inFlight) tracker.settle(reservation, { reached: false }, 1);
    tracker.observe('a', 'm', { requests: { remaining: 9000, limit: 10_000, resetMs: 6 }, tokens: { remaining: 10, limit: 1000, resetMs: 6 } }, 2);
    expect(tracker.readingDue('a', 'm', 2)).toBe(true);
    // A reading of requests alone says nothing of the tokens, still under half.
    tracker.observe('a', 'm', plenty, 3);
    expect(tracker.readingDue('a', 'm', 3)).toBe(true);
    // Room again in every dimension: answers in the same millisecond need not be read.
    tracker.observe('a', 'm', { ...plenty, tokens: { remaining: 900, limit: 1000, resetMs: 6 } }, 3);
    expect(tracker.readingDue('a', 'm', 3)).toBe(false);
  });

  it('reads every answer while the clock is behind its last reading, after nothing was left, or after a reading was forgotten', () => {
    const plenty = { tokens: { remaining: 90, limit: 100, resetMs: 60_000 } };
    // The system clock is wall time: stepped back 5 s, it does not silence readings for 5 s.
    const stepped = createQuotaTracker();
    stepped.observe('a', 'm', plenty, 1_000_000);
    expect(stepped.readingDue('a', 'm', 995_000)).toBe(true);
    // Nothing left, with no limit to compare it with, is not room.
    const empty = createQuotaTracker();
    empty.observe('a', 'm', { requests: { remaining: 0, limit: undefined, resetMs: 30_000 } }, 0);
    expect(empty.readingDue('a', 'm', 0.5)).toBe(true);
    // A request that spent more than the reading's whole limit proves it wrong: the pair has no reading again.
    const proved = createQuotaTracker();
    proved.observe('a', 'm', plenty, 0);
    const reservation = proved.reserve('a', 'm', one(), 0.5);
    proved.settle(reservation, { reached: true, inputTokens: 400, outputTokens: 100 }, 0.5);
    expect(proved.remaining(0.5).get('a')).toEqual({});
    expect(proved.readingDue('a', 'm', 0.5)).toBe(true);
  });

  it('reports the spend of pairs past its bound as their endpoint\'s, not dropped (attack 23, F3)', () => {
    const tracker = createQuotaTracker({ maxKeys: 2 });
    for (const model of ['m1', 'm2', 'm3', 'm4']) tracker.reserve('a', model, one(10), 0);
    const report = tracker.drainReport();
    expect(report.map(({ model }) => model)).toEqual(['m1', 'm2', undefined]);
    expect(report.reduce((sum, share) => sum + (share.spent.requests ?? 0), 0)).toBe(4);
    expect(report.reduce((sum, share) => sum + (share.spent['input-tokens'] ?? 0), 0)).toBe(40);
  });

  it('reads an endpoint\'s share that names no model past its bound on pairs, so a flood of models cannot hide it (attack 23, F3)', () => {
    const tracker = createQuotaTracker({ limits: new Map([['a', { rpm: 100 }]]), maxKeys: 2 });
    const answer = [
      ...['m1', 'm2', 'm3', 'm4'].map((model) => ({ endpoint: 'a', model, spent: { requests: 1 } })),
      { endpoint: 'a', model: undefined, spent: { requests: 30 } },
    ];
    tracker.adoptFleet(answer, [], 0);
    // Two pairs within the bound, and the endpoint's own share: 32 of 100 spent elsewhere.
    expect(tracker.remaining(0).get('a')).toMatchObject({ requests: 68 });
    tracker.adoptFleet(answer.map((share) => (share.model === undefined ? { ...share, spent: { requests: 40 } } : share)), [], 0);
    expect(tracker.remaining(0).get('a')).toMatchObject({ requests: 58 });
  });

  // Read but not remembered (the unnamed share took a named pair's room), a share was charged at every exchange.
  it('charges an unchanged fleet answer once, whatever the order of its shares (second review)', () => {
    const tracker = createQuotaTracker({ limits: new Map([['a', { rpm: 100 }]]), maxKeys: 2 });
    // The endpoint's unnamed share first (the ledger's order is its own), then two named pairs: within the bound on pairs.
    const answer = [
      { endpoint: 'a', model: undefined, spent: { requests: 30 } },
      { endpoint: 'a', model: 'm1', spent: { requests: 1 } },
      { endpoint: 'a', model: 'm2', spent: { requests: 1 } },
    ];
    const seen: number[] = [];
    for (let exchange = 0; exchange < 5; exchange += 1) {
      tracker.adoptFleet(answer, [], 0);
      seen.push(tracker.remaining(0).get('a')!.requests!);
    }
    // Nobody spent anything between the exchanges: what is left must not move.
    expect(new Set(seen).size).toBe(1);
  });

  it('keeps no report when it has no fleet to tell, and models quota the same', () => {
    const silent = createQuotaTracker({ reports: false });
    const told = createQuotaTracker();
    for (const tracker of [silent, told]) {
      tracker.observe('a', 'm', { requests: { remaining: 9, limit: 10, resetMs: 6000 } }, 0);
      const reservation = tracker.reserve('a', 'm', one(50), 0);
      tracker.settle(reservation, { reached: true, inputTokens: 20, outputTokens: 0 }, 0);
    }
    expect(silent.hasNews).toBe(false);
    expect(silent.drainReport()).toEqual([]);
    expect(told.hasNews).toBe(true);
    expect(silent.remaining(0)).toEqual(told.remaining(0));
  });
});

// Two members sharing one ledger (as the memory store does): A spends, B reads what the fleet spent.
const fleetOf = (maxKeys: number) => {
  const ledger = createQuotaLedger();
  const a = createQuotaTracker({ limits: new Map([['e', { tpm: 100_000 }]]), maxKeys });
  const b = createQuotaTracker({ limits: new Map([['e', { tpm: 100_000 }]]), maxKeys });
  const sync = (now: number, withB = true) => {
    const sent = a.drainReport();
    a.adoptFleet(ledger.exchange(sent, now), sent, now);
    if (withB) b.adoptFleet(ledger.exchange(b.drainReport(), now), [], now);
  };
  return { a, b, sync };
};

describe('quota tracker: a reservation reported as its endpoint\'s (attack 23, review)', () => {
  for (const maxKeys of [1024, 2]) {
    it(`is refunded where its spend went, so the fleet sees what was really spent (maxKeys ${maxKeys})`, () => {
      const { a, b, sync } = fleetOf(maxKeys);
      // A's two earlier pairs fill a tracker with maxKeys 2; the third is folded into e's unnamed pair.
      a.settle(a.reserve('e', 'm1', { requests: 1, inputTokens: 0, outputTokens: 0 }, 0), { reached: true, inputTokens: 0, outputTokens: 0 }, 0);
      a.settle(a.reserve('e', 'm2', { requests: 1, inputTokens: 0, outputTokens: 0 }, 0), { reached: true, inputTokens: 0, outputTokens: 0 }, 0);
      const big = a.reserve('e', 'm3', { requests: 1, inputTokens: 10_000, outputTokens: 30_000 }, 0);
      // A reports mid-request; B happens to exchange only after the request settled.
      sync(1, false);
      // The request used 100 tokens of the 40,000 reserved; a sync later the refund is reported.
      a.settle(big, { reached: true, inputTokens: 50, outputTokens: 50 }, 2);
      sync(3);
      const left = b.remaining(3).get('e')!;
      expect(100_000 - (left.tokens ?? 0)).toBeLessThan(1_000);
    });
  }
});

/**
 * A ledger that answers, as the Redis and Durable Object stores do, only the pairs reported since the caller's cursor
 * (the merge is the memory store's).
 */
const deltaLedger = () => {
  const ledger = createQuotaLedger();
  const changedAt = new Map<string, number>();
  let clock = 0;
  return {
    exchange(report: Parameters<ReturnType<typeof createQuotaLedger>['exchange']>[0], now: number, cursor: number) {
      clock += 1;
      for (const share of report) changedAt.set(`${share.endpoint}\u0000${share.model ?? ''}`, clock);
      const shares = ledger.exchange(report, now).filter((share) => (changedAt.get(`${share.endpoint}\u0000${share.model ?? ''}`) ?? 0) > cursor);
      return { shares, cursor: clock };
    },
  };
};

describe('quota tracker: a fleet ledger that answers only what changed (attack 23, third review)', () => {
  // The tracker kept the old total as its baseline: the new one counted nothing until it passed it (hours).
  it("charges A for B's burst after the memory store's ledger evicted the pair and started it again (last review)", () => {
    const limits = new Map([['a', { rpm: 600 }]]);
    const [a, b] = [createQuotaTracker({ limits }), createQuotaTracker({ limits })];
    const ledger = createQuotaLedger(2);
    const exchange = (tracker: typeof a, now: number) => {
      const sent = tracker.drainReport();
      tracker.adoptFleet(ledger.exchange(sent, now), sent, now);
    };
    for (let second = 1; second <= 600; second += 1) {
      for (let count = 0; count < 5; count += 1) b.reserve('a', 'm1', one(), second * 1000);
      exchange(b, second * 1000);
      exchange(a, second * 1000);
    }
    // Two other pairs push a|m1 out of the ledger.
    let now = 700_000;
    b.reserve('a', 'm2', one(), now);
    b.reserve('a', 'm3', one(), now);
    exchange(b, now);
    exchange(a, now);
    now += 60_000;
    for (let count = 0; count < 300; count += 1) b.reserve('a', 'm1', one(), now);
    exchange(b, now);
    exchange(a, now);
    expect(a.remaining(now).get('a')!.requests).toBeLessThanOrEqual(310);
  });

  // Forgetting every pair an answer left out (a mend of the second review) charged each one whole again when it came
  // back: a member alone, spending 30 of 60 rpm, was refused everything within a minute.
  it('charges a member alone nothing of its own spend again, however its pairs come and go', () => {
    const tracker = createQuotaTracker({ limits: new Map([['a', { rpm: 60 }]]) });
    const ledger = deltaLedger();
    let cursor = 0;
    for (let second = 1; second <= 60; second += 1) {
      const now = second * 1000;
      if (second % 2 === 0) tracker.reserve('a', 'm1', one(), now);
      const sent = tracker.drainReport();
      const answer = ledger.exchange(sent, now, cursor);
      cursor = answer.cursor;
      tracker.adoptFleet(answer.shares, sent, now);
      expect(tracker.remaining(now).get('a')!.requests).toBeGreaterThanOrEqual(29);
    }
  });

  it("charges a member what another spent, once", () => {
    const limits = new Map([['a', { rpm: 60 }]]);
    const [a, b] = [createQuotaTracker({ limits }), createQuotaTracker({ limits })];
    const ledger = deltaLedger();
    const cursors = new Map<object, number>([[a, 0], [b, 0]]);
    const exchange = (tracker: typeof a, now: number) => {
      const sent = tracker.drainReport();
      const answer = ledger.exchange(sent, now, cursors.get(tracker)!);
      cursors.set(tracker, answer.cursor);
      tracker.adoptFleet(answer.shares, sent, now);
    };
    for (let second = 1; second <= 60; second += 1) {
      const now = second * 1000;
      if (second % 2 === 0) {
        b.reserve('a', 'm1', one(), now);
        exchange(b, now);
      }
      exchange(a, now);
      // The fleet spent 30 of 60 in a minute that refilled 60: A always has at least 29 left.
      expect(a.remaining(now).get('a')!.requests).toBeGreaterThanOrEqual(29);
    }
  });
});
