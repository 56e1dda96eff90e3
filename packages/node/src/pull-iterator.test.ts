import { PassThrough, Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pullChunks } from './pull-iterator';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (chunks: Uint8Array[]) => new TextDecoder().decode(Buffer.concat(chunks));
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

type Step = { write: string } | { end: true } | { fail: string } | { destroy: true };

/** Reads `iterator` to its end or failure while `steps` are played on the stream, one per macrotask. */
const drive = async (make: (stream: PassThrough) => AsyncIterator<Uint8Array>, steps: readonly Step[]) => {
  const stream = new PassThrough();
  const iterator = make(stream);
  const chunks: Uint8Array[] = [];
  const reading = (async () => {
    for (;;) {
      const result = await iterator.next();
      if (result.done) return { end: 'done' as const };
      chunks.push(result.value);
    }
  })().catch((error: { code?: string; message: string }) => ({ end: 'error' as const, error: error.code ?? error.message }));
  for (const step of steps) {
    await tick();
    if (stream.destroyed || stream.writableEnded) break;
    if ('write' in step) stream.write(bytes(step.write));
    else if ('end' in step) stream.end();
    else if ('fail' in step) stream.destroy(new Error(step.fail));
    else stream.destroy();
  }
  if (!stream.destroyed && !stream.writableEnded) stream.end();
  const outcome = await reading;
  return { ...outcome, text: text(chunks) };
};

describe('pullChunks', () => {
  it('reads a Node stream as its own async iterator does, whatever it does (property)', async () => {
    const step: fc.Arbitrary<Step> = fc.oneof(
      { weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 8 }).map((write) => ({ write })) },
      { weight: 1, arbitrary: fc.constant({ end: true as const }) },
      { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 5 }).map((fail) => ({ fail })) },
      { weight: 1, arbitrary: fc.constant({ destroy: true as const }) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 12 }), async (steps) => {
        const ours = await drive((stream) => pullChunks(stream), steps);
        const node = await drive((stream) => stream[Symbol.asyncIterator](), steps);
        // Chunk boundaries may differ (read() returns what is buffered); the text and how it ended may not.
        expect(ours).toEqual(node);
      }),
      { numRuns: 60 },
    );
  });

  it('rejects with ERR_STREAM_PREMATURE_CLOSE when the stream is destroyed before its end, never ends cleanly', async () => {
    const outcome = await drive((stream) => pullChunks(stream), [{ write: 'data: {"a":1}\n\n' }, { destroy: true }]);
    expect(outcome).toEqual({ end: 'error', error: 'ERR_STREAM_PREMATURE_CLOSE', text: 'data: {"a":1}\n\n' });
  });

  it('destroys a stream not yet ended on return(), and answers done from then on', async () => {
    const stream = new PassThrough();
    const iterator = pullChunks(stream);
    stream.write(bytes('x'));
    expect(await iterator.next()).toEqual({ done: false, value: Buffer.from('x') });
    const pending = iterator.next();
    expect(await iterator.return!()).toEqual({ done: true, value: undefined });
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(stream.destroyed).toBe(true);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(stream.listenerCount('readable') + stream.listenerCount('end') + stream.listenerCount('close')).toBe(0);
  });

  it('survives return() on a body that, like undici\'s, reports a destroy before its end as an error', async () => {
    // undici's BodyReadable turns destroy() before 'end' into RequestAbortedError, emitted on the next tick: with no
    // listener left for it, Node would treat it as unhandled and end the process.
    class UndiciLikeBody extends Readable {
      override _read(): void {}
      override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
        callback(error ?? Object.assign(new Error('Request aborted'), { code: 'UND_ERR_ABORTED' }));
      }
    }
    const body = new UndiciLikeBody();
    const iterator = pullChunks(body);
    body.push(Buffer.from('data: [DONE]\n\n'));
    expect(await iterator.next()).toEqual({ done: false, value: Buffer.from('data: [DONE]\n\n') });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      expect(await iterator.return!()).toEqual({ done: true, value: undefined });
      await new Promise<void>((resolve) => body.once('close', () => resolve()));
      await tick();
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(body.destroyed).toBe(true);
    expect(uncaught).toEqual([]);
  });

  it('answers reads asked at once in order, as Node\'s iterator does', async () => {
    const run = async (make: (stream: PassThrough) => AsyncIterator<Uint8Array>) => {
      const stream = new PassThrough();
      const iterator = make(stream);
      const reads = [iterator.next(), iterator.next(), iterator.next()];
      stream.write(bytes('a'));
      await tick();
      stream.write(bytes('b'));
      await tick();
      stream.end();
      const results = await Promise.all(reads);
      return results.map((result) => (result.done ? 'done' : text([result.value])));
    };
    expect(await run((stream) => pullChunks(stream))).toEqual(['a', 'b', 'done']);
    expect(await run((stream) => stream[Symbol.asyncIterator]())).toEqual(['a', 'b', 'done']);
  });

  it('rejects every read waiting when the stream fails', async () => {
    const stream = new PassThrough();
    const iterator = pullChunks(stream);
    const reads = Promise.allSettled([iterator.next(), iterator.next()]);
    stream.destroy(new Error('reset'));
    expect((await reads).map((result) => result.status === 'rejected' && (result.reason as Error).message)).toEqual(['reset', 'reset']);
  });
});
