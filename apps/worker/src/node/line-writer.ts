/** The part of a writable stream (stdout) the line writer uses. */
export interface LineSink {
  write(chunk: string, written?: () => void): boolean;
  readonly writableLength: number;
  on(event: 'error', listener: (error: Error) => void): unknown;
  once(event: 'drain', listener: () => void): unknown;
}

/** Writes log lines to a stream it may not block on, fail with, or buffer without end. */
export interface LineWriter {
  /** Writes one line (with its line feed), or drops it when the stream has failed or is not being read. */
  write(line: string): void;
  /** Lines dropped so far. */
  readonly dropped: number;
  /** Called for each line dropped (the gateway counts them in its metrics). */
  onDrop: (() => void) | undefined;
  /**
   * Resolves once what was written has left for the stream's reader, or after `timeoutMs` (saying through `warn`
   * how much was left), whichever is first.
   */
  flush(timeoutMs: number): Promise<void>;
}

/**
 * A line writer for the access log on stdout. A log's reader that exited (EPIPE) or a full disk (ENOSPC) raised an
 * `error` nobody handled, and the gateway died with every stream it was serving; a reader that stopped reading let
 * lines pile up in the heap until the process ran out of memory. Now a failed stream is written no more, and past
 * `maxBacklogBytes` waiting for the reader (more than the stream's own buffer, so that a `drain` ends the dropping),
 * lines are dropped (and counted) until it catches up. Either is said once on stderr through `warn`.
 */
export const createLineWriter = (
  sink: LineSink,
  { maxBacklogBytes = 1024 * 1024, warn = (message: string) => console.error(message) }: { maxBacklogBytes?: number; warn?: (message: string) => void } = {},
): LineWriter => {
  let failed = false;
  let droppedSinceDrain = 0;
  sink.on('error', (error) => {
    if (failed) return;
    failed = true;
    warn(`access log: writing to stdout failed (${(error as NodeJS.ErrnoException).code ?? error.message}); no more lines are written`);
  });
  const writer: LineWriter = {
    dropped: 0,
    onDrop: undefined,
    write(line) {
      if (!failed && sink.writableLength + line.length <= maxBacklogBytes) {
        sink.write(line);
        return;
      }
      (writer as { dropped: number }).dropped += 1;
      writer.onDrop?.();
      if (failed || droppedSinceDrain++ > 0) return;
      warn(`access log: stdout is not being read (${sink.writableLength} bytes waiting); lines are dropped until it is`);
      sink.once('drain', () => {
        warn(`access log: stdout is read again; ${droppedSinceDrain} lines were dropped`);
        droppedSinceDrain = 0;
      });
    },
    // An empty write's callback runs once everything written before it has gone: `drain` comes only after a write
    // that filled the buffer.
    flush: (timeoutMs) =>
      failed || sink.writableLength === 0
        ? Promise.resolve()
        : new Promise((resolve) => {
            const timer = setTimeout(() => {
              // The process exits after this: say what its reader never took, rather than lose it silently.
              warn(`access log: ${sink.writableLength} bytes that stdout's reader had not taken are lost`);
              resolve();
            }, timeoutMs);
            sink.write('', () => {
              clearTimeout(timer);
              resolve();
            });
          }),
  };
  return writer;
};
