import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AbortSource, LinkedAbortSource, toAbortSignal } from './abort-source';

type RejectionEvent = { reason: unknown; preventDefault(): void };
type GlobalScope = {
  addEventListener?: (type: 'unhandledrejection', listener: (event: RejectionEvent) => void) => void;
  removeEventListener?: (type: 'unhandledrejection', listener: (event: RejectionEvent) => void) => void;
};

/**
 * The next unhandled rejection, heard where the runtime reports it (Node: `process`; workerd: the global scope)
 * and kept from the test runner's own handler, which would fail the run for it.
 */
const unhandledRejection = (): Promise<unknown> =>
  new Promise((resolve) => {
    const scope = globalThis as GlobalScope;
    const node = typeof process !== 'undefined' && typeof process.listeners === 'function' ? process : undefined;
    const runners = node?.listeners('unhandledRejection') ?? [];
    const finish = (reason: unknown) => {
      scope.removeEventListener?.('unhandledrejection', onEvent);
      if (node) {
        node.off('unhandledRejection', finish);
        for (const listener of runners) node.on('unhandledRejection', listener);
      }
      resolve(reason);
    };
    const onEvent = (event: RejectionEvent) => {
      event.preventDefault();
      finish(event.reason);
    };
    scope.addEventListener?.('unhandledrejection', onEvent);
    if (node) {
      node.removeAllListeners('unhandledRejection');
      node.on('unhandledRejection', finish);
    }
  });

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

  it('never throws from abort(): a listener that throws does not stop the rest, and its error surfaces unhandled', async () => {
    const source = new AbortSource();
    let after = false;
    const failure = new Error('listener failed');
    source.addEventListener('abort', () => {
      throw failure;
    });
    source.addEventListener('abort', () => (after = true));
    const reported = unhandledRejection();
    expect(() => source.abort('x')).not.toThrow();
    expect(after).toBe(true);
    expect(source.aborted).toBe(true);
    expect(await reported).toBe(failure);
  });

  it('skips a listener that an earlier listener removes during the abort, as AbortSignal does', () => {
    for (const signalOf of [() => new AbortSource(), () => new AbortController()]) {
      const made = signalOf();
      const signal = made instanceof AbortController ? made.signal : made;
      const heard: string[] = [];
      const second = () => heard.push('second');
      signal.addEventListener('abort', () => {
        heard.push('first');
        signal.removeEventListener('abort', second);
      });
      signal.addEventListener('abort', second);
      made.abort('x');
      expect(heard).toEqual(['first']);
    }
  });

  it('behaves as an AbortSignal does for any sequence of adds (repeats included), removes and aborts (property)', () => {
    const operation = fc.oneof(
      fc.record({ op: fc.constant('add' as const), listener: fc.nat(3) }),
      fc.record({ op: fc.constant('remove' as const), listener: fc.nat(3) }),
      fc.record({ op: fc.constant('abort' as const), reason: fc.string() }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 20 }), (operations) => {
        const run = (signal: { aborted: boolean; reason: unknown; addEventListener: AbortSource['addEventListener']; removeEventListener: AbortSource['removeEventListener'] }, abort: (reason: string) => void) => {
          const heard: string[] = [];
          // Listener 3 removes listener 0 when it runs: a removal during the abort's dispatch.
          const listeners = [0, 1, 2, 3].map((index) => () => {
            heard.push(`${index}:${String(signal.reason)}`);
            if (index === 3) signal.removeEventListener('abort', listeners[0]!);
          });
          for (const step of operations) {
            if (step.op === 'add') signal.addEventListener('abort', listeners[step.listener]!, { once: true });
            else if (step.op === 'remove') signal.removeEventListener('abort', listeners[step.listener]!);
            else abort(step.reason);
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

describe('LinkedAbortSource', () => {
  it('aborts with its parent, with the parent reason, until unlinked', () => {
    const parent = new AbortSource();
    const first = new LinkedAbortSource(parent);
    const second = new LinkedAbortSource(parent);
    second.unlink();
    parent.abort('deadline');
    expect(first.aborted).toBe(true);
    expect(first.reason).toBe('deadline');
    expect(second.aborted).toBe(false);
  });

  it('starts aborted under an aborted parent, and aborting it leaves the parent alone', () => {
    const parent = new AbortController();
    parent.abort('gone');
    expect(new LinkedAbortSource(parent.signal).reason).toBe('gone');
    const live = new AbortSource();
    const child = new LinkedAbortSource(live);
    child.abort('attempt timeout');
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
