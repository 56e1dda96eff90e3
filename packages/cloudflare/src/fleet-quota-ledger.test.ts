import { createQuotaTracker, type QuotaCost, type QuotaTracker } from '@detour/core/signals';
import { describe, expect, it } from 'vitest';
import { createObjectQuotaLedger } from './object-quota-ledger';

// Fleet quota through this package's ledger, which answers each member only what changed since its cursor (attack
// 23's last review): a pair the ledger dropped and started again was charged nothing for a long time, and a tracker
// whose memory of pairs was full never charged a new pair again.

const one = (): QuotaCost => ({ requests: 1, inputTokens: 0, outputTokens: 0 });
const limits = new Map([['a', { rpm: 600 }]]);

/** Members exchanging with one Durable Object ledger (answers what changed since each member's cursor). */
const objectFleet = () => {
  let ledger = createObjectQuotaLedger();
  const cursors = new Map<QuotaTracker, number>();
  return {
    exchange(tracker: QuotaTracker, now: number) {
      const sent = tracker.drainReport();
      const answer = ledger.exchange(sent, now, cursors.get(tracker) ?? 0);
      cursors.set(tracker, answer.cursor);
      tracker.adoptFleet(answer.shares, sent, now);
    },
    restartObject: () => { ledger = createObjectQuotaLedger(); },
  };
};

const spend = (tracker: QuotaTracker, model: string, count: number, now: number) => {
  for (let i = 0; i < count; i += 1) tracker.reserve('a', model, one(), now);
};

describe('fleet quota: a pair the ledger drops and starts again', () => {
  for (const how of ['idle pair dropped (ledgerIdleMs)', 'object restarted'] as const) {
    it(`charges A for B's burst after the Durable Object ledger's ${how}`, () => {
      const [a, b] = [createQuotaTracker({ limits }), createQuotaTracker({ limits })];
      const fleet = objectFleet();
      // Ten minutes of steady spend by B: 5 of 10 a second (a running total of 3,000).
      for (let second = 1; second <= 600; second += 1) {
        spend(b, 'm1', 5, second * 1000);
        fleet.exchange(b, second * 1000);
        fleet.exchange(a, second * 1000);
      }
      // Eleven idle minutes.
      let now = 1_260_000;
      if (how === 'object restarted') fleet.restartObject();
      fleet.exchange(a, now);
      fleet.exchange(b, now);
      now += 1000;
      expect(a.remaining(now).get('a')!.requests).toBeGreaterThan(590);
      // B spends 300 at once: A must see at most ~300 of its 600 left.
      spend(b, 'm1', 300, now);
      fleet.exchange(b, now);
      fleet.exchange(a, now);
      expect(a.remaining(now).get('a')!.requests).toBeLessThanOrEqual(310);
    });
  }

});

describe('fleet quota: a tracker whose memory of pairs is full', () => {
  it("charges A's endpoint limit for B's spend on a model first seen after the map filled", () => {
    const [a, b] = [createQuotaTracker({ limits, maxKeys: 8 }), createQuotaTracker({ limits, maxKeys: 8 })];
    const fleet = objectFleet();
    // Once, long ago, a caller named eight models (one request each), through B.
    for (let i = 0; i < 8; i += 1) spend(b, `junk-${i}`, 1, 1000);
    fleet.exchange(b, 1000);
    fleet.exchange(a, 1000);
    // An hour later those names are long gone from every ledger answer; B serves a new model.
    const now = 3_600_000;
    fleet.exchange(a, now - 1000);
    expect(a.remaining(now).get('a')!.requests).toBe(600);
    spend(b, 'gpt-new', 300, now);
    fleet.exchange(b, now);
    fleet.exchange(a, now);
    expect(a.remaining(now).get('a')!.requests).toBeLessThanOrEqual(310);
  });
});
