import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AttemptTimeoutError } from '../errors/attempt-timeout-error';
import type { Clock } from '../ports/clock';
import { BodyTooLargeError, readBody } from './read-body';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

/** A clock whose timers run only when the test advances it. */
const manualClock = () => {
  let now = 0;
  const timers = new Map<number, { at: number; run: () => void }>();
  let next = 0;
  const clock: Clock = {
    now: () => now,
    schedule: (run, ms) => {
      next += 1;
      timers.set(next, { at: now + ms, run });
      return next;
    },
    cancel: (handle) => void timers.delete(handle as number),
  };
  const advance = (ms: number) => {
    now += ms;
    for (const [handle, timer] of [...timers]) {
      if (timer.at > now) continue;
      timers.delete(handle);
      timer.run();
    }
  };
  return { clock, advance };
};

describe('readBody of a Node stream (read by its events)', () => {
  it('joins every chunk up to the end', async () => {
    const body = new PassThrough();
    const read = readBody(body, 100, new AbortController().signal);
    body.write(bytes('{"a":'));
    body.end(bytes('1}'));
    expect(text(await read)).toBe('{"a":1}');
  });

  it('fails with BodyTooLargeError past the limit, and truncates when asked', async () => {
    const tooLarge = new PassThrough();
    const failing = readBody(tooLarge, 4, new AbortController().signal);
    tooLarge.end(bytes('123456'));
    await expect(failing).rejects.toBeInstanceOf(BodyTooLargeError);

    const truncated = new PassThrough();
    const reading = readBody(truncated, 4, new AbortController().signal, { truncate: true });
    truncated.write(bytes('12'));
    truncated.write(bytes('3456'));
    expect(text(await reading)).toBe('1234');
  });

  it("rejects with the signal's reason once it aborts, and at once when it already has", async () => {
    const controller = new AbortController();
    const reading = readBody(new PassThrough(), 100, controller.signal);
    const reason = new Error('caller left');
    controller.abort(reason);
    await expect(reading).rejects.toBe(reason);
    await expect(readBody(new PassThrough(), 100, controller.signal)).rejects.toBe(reason);
  });

  it('fails on a stream error and on a close before the end', async () => {
    const broken = new PassThrough();
    const failing = readBody(broken, 100, new AbortController().signal);
    broken.destroy(new Error('socket reset'));
    await expect(failing).rejects.toThrow('socket reset');

    const closed = new PassThrough();
    const cut = readBody(closed, 100, new AbortController().signal);
    closed.destroy();
    await expect(cut).rejects.toThrow('closed before it ended');
  });

  it('times out as body_idle after a silence, however long the body has been arriving', async () => {
    const { clock, advance } = manualClock();
    const body = new PassThrough();
    const reading = readBody(body, 100, new AbortController().signal, { idle: { clock, ms: 1000 } });
    body.write(bytes('{'));
    await new Promise((resolve) => setImmediate(resolve));
    advance(999);
    advance(1000);
    await expect(reading).rejects.toBeInstanceOf(AttemptTimeoutError);
  });
});
