import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from './system-clock';

describe('systemClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds a wait longer than a platform timer takes to the longest one, instead of firing it at once', () => {
    vi.useFakeTimers();
    const fired: number[] = [];
    systemClock.schedule(() => fired.push(1), 2_147_483_653);
    systemClock.schedule(() => fired.push(2), 4_294_967_296);
    vi.advanceTimersByTime(1000);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(2_147_483_647);
    expect(fired).toEqual([1, 2]);
  });
});
