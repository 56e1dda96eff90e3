import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLineWriter } from './line-writer';

/** A stream whose reader takes what it is given only when `read()` is called (a pipe whose reader stalls). */
const stalledStream = () => {
  const received: string[] = [];
  const pending: (() => void)[] = [];
  const stream = new Writable({
    highWaterMark: 64,
    write(chunk: Buffer, _encoding, done) {
      received.push(chunk.toString());
      pending.push(done);
    },
  });
  const read = () => {
    for (const done of pending.splice(0)) done();
  };
  return { stream, received, read };
};

describe('the access log’s line writer', () => {
  it('drops lines past its backlog while the reader stalls, says so once, and writes again once it reads', async () => {
    const { stream, received, read } = stalledStream();
    const warnings: string[] = [];
    const writer = createLineWriter(stream, { maxBacklogBytes: 100, warn: (message) => warnings.push(message) });
    let counted = 0;
    writer.onDrop = () => (counted += 1);
    for (let index = 0; index < 50; index += 1) writer.write(`line ${String(index).padStart(2, '0')} of the log\n`);
    // 20 bytes a line: the first is handed to the stream, four more wait in its buffer (100 bytes), the rest drop.
    expect(stream.writableLength).toBeLessThanOrEqual(100);
    expect(writer.dropped).toBe(45);
    expect(counted).toBe(45);
    expect(warnings).toEqual([expect.stringMatching(/^access log: stdout is not being read \(\d+ bytes waiting\); lines are dropped until it is$/)]);
    for (let turn = 0; turn < 10 && stream.writableLength > 0; turn += 1) {
      read();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(warnings[1]).toBe('access log: stdout is read again; 45 lines were dropped');
    writer.write('after\n');
    read();
    expect(received.join('')).toContain('after\n');
    expect(received).toHaveLength(6);
  });

  it('writes no more after the stream fails (a reader gone: EPIPE), and never throws', () => {
    const stream = new Writable({ write: (_chunk, _encoding, done) => done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })) });
    const warnings: string[] = [];
    const writer = createLineWriter(stream, { warn: (message) => warnings.push(message) });
    writer.write('first\n');
    return new Promise<void>((resolve) => {
      setImmediate(() => {
        writer.write('second\n');
        writer.write('third\n');
        expect(writer.dropped).toBe(2);
        expect(warnings).toEqual(['access log: writing to stdout failed (EPIPE); no more lines are written']);
        resolve();
      });
    });
  });

  it('flushes what waits for the reader, or gives up after its bound', async () => {
    const { stream, read } = stalledStream();
    const writer = createLineWriter(stream);
    writer.write('waiting\n');
    writer.write('waiting too\n');
    let flushed = false;
    const flushing = writer.flush(60_000).then(() => (flushed = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(flushed).toBe(false);
    for (let turn = 0; turn < 10 && !flushed; turn += 1) {
      read();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await flushing;
    expect(stream.writableLength).toBe(0);
    // A reader that never reads: the flush ends at its bound.
    const stalled = stalledStream();
    const warnings: string[] = [];
    const stuck = createLineWriter(stalled.stream, { warn: (message) => warnings.push(message) });
    stuck.write('never read\n');
    stuck.write('never read either\n');
    await stuck.flush(1);
    expect(stalled.stream.writableLength).toBeGreaterThan(0);
    expect(warnings).toEqual([`access log: ${stalled.stream.writableLength} bytes that stdout's reader had not taken are lost`]);
  });
});
