import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../random';
import type { FaultRule, When } from '../types';
import type { RequestFacts } from './match-rule';
import { matchRule } from './match-rule';

const facts = (overrides: Partial<RequestFacts> = {}): RequestFacts => ({
  seq: 1,
  elapsedMs: 0,
  path: '/v1/chat/completions',
  model: 'gpt-4o-mini',
  stream: false,
  ...overrides,
});
const rule = (when?: When): FaultRule => ({ when, fault: { type: 'reset' } });
const matchingSeqs = (when: When, upTo = 12): number[] =>
  Array.from({ length: upTo }, (_, index) => index + 1).filter(
    (seq) => matchRule([rule(when)], facts({ seq }), () => 0) !== undefined,
  );

describe('matchRule', () => {
  it('matches every request when a rule has no conditions', () => {
    expect(matchingSeqs({})).toHaveLength(12);
    expect(matchRule([rule()], facts(), () => 0)).toBeDefined();
  });

  it('picks every Nth request, shifted by the offset', () => {
    expect(matchingSeqs({ every: 3 })).toEqual([3, 6, 9, 12]);
    expect(matchingSeqs({ every: 3, offset: 1 })).toEqual([4, 7, 10]);
    expect(matchingSeqs({ every: 3, offset: -2 })).toEqual([1, 4, 7, 10]);
  });

  it('picks exactly the listed request numbers', () => {
    expect(matchingSeqs({ nth: [2, 5] })).toEqual([2, 5]);
  });

  it('picks an inclusive range of request numbers', () => {
    expect(matchingSeqs({ from: 3, to: 5 })).toEqual([3, 4, 5]);
    expect(matchingSeqs({ from: 11 })).toEqual([11, 12]);
  });

  it('applies inside its time window only', () => {
    const when = { afterMs: 1_000, forMs: 500 };
    const at = (elapsedMs: number): boolean => matchRule([rule(when)], facts({ elapsedMs }), () => 0) !== undefined;
    expect([at(999), at(1_000), at(1_499), at(1_500)]).toEqual([false, true, true, false]);
  });

  it('filters by path, model and stream', () => {
    const when = { path: '/v1/embeddings', model: 'm', stream: true };
    expect(matchRule([rule(when)], facts({ path: '/v1/embeddings', model: 'm', stream: true }), () => 0)).toBeDefined();
    expect(matchRule([rule(when)], facts({ path: '/v1/chat/completions', model: 'm', stream: true }), () => 0)).toBeUndefined();
    expect(matchRule([rule(when)], facts({ path: '/v1/embeddings', model: 'other', stream: true }), () => 0)).toBeUndefined();
    expect(matchRule([rule(when)], facts({ path: '/v1/embeddings', model: 'm', stream: false }), () => 0)).toBeUndefined();
  });

  it('applies a probability with the draw it is given', () => {
    expect(matchRule([rule({ probability: 0.3 })], facts(), () => 0.29)).toBeDefined();
    expect(matchRule([rule({ probability: 0.3 })], facts(), () => 0.3)).toBeUndefined();
  });

  it('fails the same requests for the same seed', () => {
    const run = (): number[] => {
      const random = createSeededRandom(123);
      return Array.from({ length: 200 }, (_, index) => index + 1).filter(
        (seq) => matchRule([rule({ probability: 0.25 })], facts({ seq }), random) !== undefined,
      );
    };
    const failed = run();
    expect(run()).toEqual(failed);
    expect(failed.length).toBeGreaterThan(30);
    expect(failed.length).toBeLessThan(70);
  });

  it('draws only for rules whose other conditions hold', () => {
    let draws = 0;
    const random = (): number => {
      draws += 1;
      return 0;
    };
    matchRule([rule({ nth: [5], probability: 0.5 })], facts({ seq: 1 }), random);
    expect(draws).toBe(0);
  });

  it('lets the first matching rule win', () => {
    const rules: FaultRule[] = [
      { when: { nth: [2] }, fault: { type: 'hang' } },
      { fault: { type: 'unauthorized' } },
    ];
    expect(matchRule(rules, facts({ seq: 2 }), () => 0)?.fault.type).toBe('hang');
    expect(matchRule(rules, facts({ seq: 3 }), () => 0)?.fault.type).toBe('unauthorized');
  });
});
