import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { windowFilter } from './window-filter';

/** Every start of a stretch of `text` that is a member: what the filter must never miss. */
const memberStarts = (text: string, members: ReadonlySet<string>, width: number): number[] => {
  const starts: number[] = [];
  for (let start = 0; start + width <= text.length; start += 1) if (members.has(text.slice(start, start + width))) starts.push(start);
  return starts;
};

describe('windowFilter', () => {
  it('lets through every stretch that is a member, in order, whatever else the text holds (property)', () => {
    // A small alphabet (with characters past Latin-1 and a surrogate half) makes members overlap, repeat and collide.
    const unit = fc.constantFrom('a', 'b', 'c', '-', '_', '0', '1', 'ж', '\ud83d', 'Z');
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        fc.array(fc.array(unit, { minLength: 12, maxLength: 12 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.oneof(fc.nat({ max: 19 }), fc.array(unit, { maxLength: 6 })), { maxLength: 30 }),
        (width, words, plan) => {
          const members = new Set(words.map((word) => word.join('').slice(0, width)));
          const text = plan.map((part) => (typeof part === 'number' ? [...members][part % members.size]! : part.join(''))).join('');
          const found = windowFilter([...members], width)(text) ?? [];
          for (const start of memberStarts(text, members, width)) expect(found).toContain(start);
          expect(found).toEqual([...new Set(found)].sort((left, right) => left - right));
          expect(found.every((start) => start >= 0 && start + width <= text.length)).toBe(true);
        },
      ),
      { seed: 18, numRuns: 500 },
    );
  });

  it('finds a member at the very start and the very end of a text, and in a text that is only the member', () => {
    const filter = windowFilter(['Zx9Qw7Lm'], 8);
    expect(filter('Zx9Qw7Lm')).toEqual([0]);
    expect(filter('Zx9Qw7Lm and Zx9Qw7Lm')).toEqual([0, 13]);
    expect(filter('Zx9Qw7L')).toBeUndefined();
    expect(filter('')).toBeUndefined();
  });

  it('sends none of an ordinary answer’s header values on to the exact lookup', () => {
    // Pieces of two random keys, as a gateway's scrubber holds them.
    const keys = ['sk-proj-Zx9Qw7Lm2Nb5Vc8Tr4Xy1Pa3Sd0Fg6Hj', 'sk-ant-api03-Qq1Ww2Ee3Rr4Tt5Yy6Uu7Ii8Oo9Pp0'];
    const pieces = keys.flatMap((key) => Array.from({ length: key.length - 7 }, (_, start) => key.slice(start, start + 8)));
    const filter = windowFilter(pieces, 8);
    const values = [
      'Sun, 06 Dec 2026 08:46:20 GMT', 'application/json', 'max-age=31536000; includeSubDomains; preload', 'h3=":443"; ma=86400',
      '__cf_bm=abcdefghijklmnopqrstuvwxyz0123456789; path=/; expires=Sun, 06-Dec-26 09:16:20 GMT; domain=.api.openai.com; HttpOnly; Secure; SameSite=None',
    ];
    for (const value of values) expect(filter(value)).toBeUndefined();
    expect(filter(`key ${keys[0]!.slice(20, 30)}`)).toEqual([4, 5, 6]);
  });
});
