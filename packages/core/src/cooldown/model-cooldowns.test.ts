import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { liveModelCooldowns, maxModelCooldowns, modelCooldownUntil, noModelCooldowns, withModelCooldown } from './model-cooldowns';

describe('model cooldowns', () => {
  it('treats object property names as ordinary models', () => {
    for (const model of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(modelCooldownUntil(noModelCooldowns, model)).toBe(0);
      expect(modelCooldownUntil({}, model)).toBe(0);
      const cooled = withModelCooldown(noModelCooldowns, model, 500, 0);
      expect(modelCooldownUntil(cooled, model)).toBe(500);
      expect(Object.keys(cooled)).toEqual([model]);
    }
  });

  it('keeps the later deadline and drops expired entries', () => {
    let cooldowns = withModelCooldown(noModelCooldowns, 'a', 100, 0);
    cooldowns = withModelCooldown(cooldowns, 'a', 50, 10);
    expect(modelCooldownUntil(cooldowns, 'a')).toBe(100);
    cooldowns = withModelCooldown(cooldowns, 'b', 300, 150);
    expect(Object.keys(cooldowns)).toEqual(['b']);
  });

  it('never holds more than the cap, keeping the latest deadlines (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 6 }), fc.integer({ min: 1, max: 1000 })), { maxLength: 400 }), fc.integer({ min: 1, max: 20 }), (writes, cap) => {
        let cooldowns = noModelCooldowns;
        for (const [model, until] of writes) cooldowns = withModelCooldown(cooldowns, model, until, 0, cap);
        expect(Object.keys(cooldowns).length).toBeLessThanOrEqual(cap);
        const latest = new Map<string, number>();
        for (const [model, until] of writes) latest.set(model, Math.max(latest.get(model) ?? 0, until));
        const kept = Object.values(cooldowns);
        const dropped = [...latest.entries()].filter(([model]) => modelCooldownUntil(cooldowns, model) === 0).map(([, until]) => until);
        if (kept.length > 0 && dropped.length > 0) expect(Math.max(...dropped)).toBeLessThanOrEqual(Math.min(...kept));
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it('prunes a plain object read back from a store into a prototype-free map', () => {
    const live = liveModelCooldowns({ a: 5, b: 50 }, 10);
    expect(Object.getPrototypeOf(live)).toBeNull();
    expect(Object.keys(live)).toEqual(['b']);
    expect(maxModelCooldowns).toBe(256);
  });
});
