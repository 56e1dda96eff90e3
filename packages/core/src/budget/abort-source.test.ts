import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AbortSource, linkedSource, toAbortSignal } from './abort-source';

describe('AbortSource', () => {
  it('aborts once, keeping the first reason, and tells each listener once in the order they were added', () => {
    const source = new AbortSource();
    const heard: string[] = [];
    source.addEventListener('abort', () => heard.push(`a:${String(source.reason)}`));
    source.addEventListener('abort', () => heard.push('b'), { once: true });
    source.abort('first');
    source.abort('second');
    expect(source.aborted).toBe(true);
    expect(source.reason).toBe('first');
    expect(heard).toEqual(['a:first', 'b']);
  });

  it('gives an AbortError as the reason when aborted without one, as AbortController does', () => {
    const source = new AbortSource();
    source.abort();
    expect(source.reason).toBeInstanceOf(Error);
    expect((source.reason as Error).name).toBe('AbortError');
  });

  it('never calls a listener removed before the abort or added after it', () => {
    const source = new AbortSource();
    let calls = 0;
    const listener = () => calls++;
    source.addEventListener('abort', listener);
    source.removeEventListener('abort', listener);
    source.abort('x');
    source.addEventListener('abort', listener);
    expect(calls).toBe(0);
  });

  it('runs every listener when one throws, then throws the first error', () => {
    const source = new AbortSource();
    let after = false;
    source.addEventListener('abort', () => {
      throw new Error('listener failed');
    });
    source.addEventListener('abort', () => (after = true));
    expect(() => source.abort('x')).toThrow('listener failed');
    expect(after).toBe(true);
    expect(source.aborted).toBe(true);
  });

  it('behaves as an AbortSignal does for any sequence of adds, removes and aborts (property)', () => {
    const operation = fc.oneof(
      fc.record({ op: fc.constant('add' as const), listener: fc.nat(3) }),
      fc.record({ op: fc.constant('remove' as const), listener: fc.nat(3) }),
      fc.record({ op: fc.constant('abort' as const), reason: fc.string() }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 20 }), (operations) => {
        const run = (signal: { aborted: boolean; reason: unknown; addEventListener: AbortSource['addEventListener']; removeEventListener: AbortSource['removeEventListener'] }, abort: (reason: string) => void) => {
          const heard: string[] = [];
          // Each listener is one function, so adding it twice (as with an event target) registers it once only
          // for AbortSignal; AbortSource's callers never add the same function twice, so the model skips repeats.
          const added = new Set<number>();
          const listeners = [0, 1, 2, 3].map((index) => () => heard.push(`${index}:${String(signal.reason)}`));
          for (const step of operations) {
            if (step.op === 'add') {
              if (added.has(step.listener) && !signal.aborted) continue;
              added.add(step.listener);
              signal.addEventListener('abort', listeners[step.listener]!, { once: true });
            } else if (step.op === 'remove') {
              added.delete(step.listener);
              signal.removeEventListener('abort', listeners[step.listener]!);
            } else abort(step.reason);
          }
          return { heard, aborted: signal.aborted, reason: signal.reason };
        };
        const controller = new AbortController();
        const source = new AbortSource();
        expect(run(source, (reason) => source.abort(reason))).toEqual(run(controller.signal, (reason) => controller.abort(reason)));
      }),
    );
  });
});

describe('linkedSource', () => {
  it('aborts with its parent, with the parent reason, until unlinked', () => {
    const parent = new AbortSource();
    const first = linkedSource(parent);
    const second = linkedSource(parent);
    second.unlink();
    parent.abort('deadline');
    expect(first.source.aborted).toBe(true);
    expect(first.source.reason).toBe('deadline');
    expect(second.source.aborted).toBe(false);
  });

  it('starts aborted under an aborted parent, and aborting it leaves the parent alone', () => {
    const parent = new AbortController();
    parent.abort('gone');
    expect(linkedSource(parent.signal).source.reason).toBe('gone');
    const live = new AbortSource();
    const child = linkedSource(live);
    child.source.abort('attempt timeout');
    expect(live.aborted).toBe(false);
  });
});

describe('toAbortSignal', () => {
  it('returns an AbortSignal as it is, and makes one that follows a light signal', () => {
    const signal = new AbortController().signal;
    expect(toAbortSignal(signal)).toBe(signal);
    const source = new AbortSource();
    const follower = toAbortSignal(source);
    expect(follower).toBeInstanceOf(AbortSignal);
    expect(follower.aborted).toBe(false);
    source.abort('cut');
    expect(follower.aborted).toBe(true);
    expect(follower.reason).toBe('cut');
  });

  it('is already aborted when the light signal was', () => {
    const source = new AbortSource();
    source.abort('early');
    expect(toAbortSignal(source).reason).toBe('early');
  });
});
