import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth } from './json-depth';

const depthOf = (value: unknown): number =>
  typeof value === 'object' && value !== null ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0;

describe('exceedsJsonDepth', () => {
  it('counts nesting of arrays and objects, not brackets inside strings or after escaped quotes', () => {
    expect(exceedsJsonDepth('{"a":[[1]]}', 3)).toBe(false);
    expect(exceedsJsonDepth('{"a":[[[1]]]}', 3)).toBe(true);
    expect(exceedsJsonDepth(`{"a":"${'['.repeat(100)}"}`, 2)).toBe(false);
    expect(exceedsJsonDepth(`{"a":"\\"${'['.repeat(10)}\\\\","b":[]}`, 2)).toBe(false);
    expect(exceedsJsonDepth(`{"a":"\\\\"${'['.repeat(10)}`, 2)).toBe(true);
  });

  it('agrees with the depth of any parsed JSON value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 10 }), (value, max) => {
        expect(exceedsJsonDepth(JSON.stringify(value), max)).toBe(depthOf(value) > max);
      }),
      { seed: 12, numRuns: 500 },
    );
  });
});
