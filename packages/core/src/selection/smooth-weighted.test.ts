import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pickSmoothWeighted } from './smooth-weighted';

const peers = [
  { name: 'a', weight: 5 },
  { name: 'b', weight: 1 },
  { name: 'c', weight: 1 },
];

describe('pickSmoothWeighted', () => {
  it('spreads weights 5:1:1 as a,a,b,a,c,a,a in every cycle', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), (cycles) => {
        const state = new Map<string, number>();
        const picks = Array.from({ length: 7 * cycles }, () => pickSmoothWeighted(peers, state)!.name);
        for (let cycle = 0; cycle < cycles; cycle += 1) {
          if (picks.slice(cycle * 7, cycle * 7 + 7).join(',') !== 'a,a,b,a,c,a,a') return false;
        }
        return true;
      }),
    );
  });

  it('gives each peer its weight\'s share of every full cycle', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 }), (weights) => {
        const weighted = weights.map((weight, index) => ({ name: `p${index}`, weight }));
        const total = weights.reduce((sum, weight) => sum + weight, 0);
        const state = new Map<string, number>();
        const counts = new Map<string, number>();
        for (let index = 0; index < total; index += 1) {
          const name = pickSmoothWeighted(weighted, state)!.name;
          counts.set(name, (counts.get(name) ?? 0) + 1);
        }
        return weighted.every((peer) => counts.get(peer.name) === peer.weight);
      }),
    );
  });

  it('picks nothing from an empty list', () => {
    expect(pickSmoothWeighted([], new Map())).toBeUndefined();
  });
});
