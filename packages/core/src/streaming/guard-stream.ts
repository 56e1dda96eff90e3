import { StreamInterruptedError } from '../errors/stream-interrupted-error';
import type { CallerSignal } from '../ports/caller-signal';
import type { Clock } from '../ports/clock';
import { scrubbedBytes } from '../secrets/scrubbed-bytes';
import { afterHeld } from './after-held';
import { startIdleWatchdog, type IdleWatchdog } from './idle-watchdog';
import type { SseWatcher } from './sse-watcher';
import type { ChunkFilter } from './usage-chunk-filter';

/**
 * Why a stream ends that carried the upstream's failure (an error event, an event that is not valid JSON), whether
 * its watcher saw it or its filter withheld it.
 */
const upstreamFailure = 'the upstream sent an error or an unreadable event';

/**
 * Who ended a stream that did not complete. `upstream`: it broke (reset, error event, close before the end);
 * `stalled`: it went silent while the caller waited; `deadline`: the request's deadline passed
 * (`streamDeadline: 'total'`); `caller`: the caller cancelled, stopped reading early, or aborted its signal;
 * `abandoned`: the caller stopped reading without saying so; `diverged`: the filter refused what the upstream sent
 * (a rescue's replay that did not repeat the delivered text); `shutdown`: the router was shut down (its close ran out
 * of grace) and cut it, which the router decides, never the guard. Only `upstream` and `stalled` are the endpoint's
 * fault.
 */
export type StreamEndCause = 'upstream' | 'stalled' | 'deadline' | 'caller' | 'abandoned' | 'diverged' | 'shutdown';

/** How a committed stream ended. */
export interface StreamSettlement {
  /** `complete`: a whole answer; `interrupted`: it was cut (see `cause`); `cancelled`: the caller left, or a shutdown cut it. */
  readonly outcome: 'complete' | 'interrupted' | 'cancelled';
  /** Why it did not complete; undefined when it did. */
  readonly cause: StreamEndCause | undefined;
  readonly error: StreamInterruptedError | undefined;
  readonly bytes: number;
  readonly watcher: SseWatcher;
}

/** What {@link guardStream} wraps. */
export interface GuardStreamOptions {
  readonly endpoint: string;
  /** Chunks already read while waiting for the first event; delivered first. */
  readonly head: readonly Uint8Array[];
  readonly iterator: AsyncIterator<Uint8Array>;
  readonly watcher: SseWatcher;
  /** Releases the upstream (its socket, its timers) when the stream ends early. */
  readonly cancel: (reason: unknown) => void;
  /** Called exactly once, however the stream ends. */
  readonly onSettle: (settlement: StreamSettlement) => void;
  /**
   * Rewrites what the caller receives (the watcher still sees the upstream's bytes). A filter that throws ends the
   * stream as `diverged`, upstream cancelled, with the error's message as the reason.
   */
  readonly filter?: ChunkFilter | undefined;
  /**
   * Removes the endpoints' keys from a text. Every chunk the caller gets goes through it: an upstream can quote the
   * key it was sent anywhere (an error event, a comment, a relay echoing its request in a chunk it calls the model's).
   * Without a filter, chunks go out cut at line breaks, so a key in one line is never split between two chunks; a
   * filter sends whole events.
   */
  readonly scrub?: ((text: string) => string) | undefined;
  /** The clock the idle timer runs on. Without it (or without `idleTimeoutMs`) nothing idles out. */
  readonly clock?: Clock | undefined;
  /**
   * The longest silence allowed: of the upstream while the caller waits for a chunk (then the stream is cut as
   * `stalled`), and of the caller between two reads (then it is `abandoned`: cancelled and settled).
   */
  readonly idleTimeoutMs?: number | undefined;
  /**
   * The longest stretch without an event (Anthropic's `ping` is none) while bytes still come: keep-alive comments
   * and pings hold off `idleTimeoutMs`, since providers send them while the model works, but not this; past it the
   * stream is cut as `stalled`. Needs `clock` and `idleTimeoutMs`. @defaultValue no bound
   */
  readonly progressTimeoutMs?: number | undefined;
  /** Aborts when the request ends from outside: the caller's abort or the deadline. Settles the stream at once. */
  readonly signal?: CallerSignal | undefined;
  /** The caller's own signal, to tell its abort (`caller`) from the deadline's (`deadline`) on `signal`. */
  readonly callerSignal?: CallerSignal | undefined;
  /**
   * What a read that fails answers instead of its error (a rescue carrying the answer on, `rescue-stream.ts`): called
   * with every error a `next()` would reject with, once the stream has settled. Without it, `next()` rejects.
   */
  readonly onFailure?: ((error: unknown) => Promise<IteratorResult<Uint8Array>>) | undefined;
  /**
   * The stream is a binary answer (speech audio, a file's bytes), not events: every chunk goes out as it came, unread
   * and unscrubbed, and a clean close ends it whole (a cut or a reset still interrupts it). No chunk is progress, so
   * `progressTimeoutMs` bounds it from its first byte.
   */
  readonly raw?: boolean | undefined;
}

/**
 * Passes a committed event stream through to the caller and gives it exactly one ending. A cut never looks like a
 * clean end: a transport error, an error event, a close without the terminating event (or without a
 * `finish_reason` on every choice), a stall or the deadline surface as a {@link StreamInterruptedError} from
 * `next()`. The caller leaving — `return()`, its signal aborting, or not reading for `idleTimeoutMs` — cancels the
 * upstream at once, so nobody keeps paying for tokens nobody reads, and settles as `cancelled`. Every ending goes
 * through one `settle`, which stops the idle timer, drops the signal listener and calls `onSettle` once.
 */
export const guardStream = (options: GuardStreamOptions): AsyncIterableIterator<Uint8Array> => new GuardedStream(options);

/**
 * The guard of one stream. `next()`, `return()`, the idle watchdog and the abort listener all race to end the same
 * stream, and they share its few mutable facts (settled, reading, the terminal error, the read in flight), so every
 * ending goes through `settle`. A class rather than a closure factory: a gateway holds one guard per open stream for
 * minutes, and with its methods on the prototype each costs one object and two small closures (the abort listener
 * and the watchdog's callback), not a scope, a dozen functions and the options object it was built from. It keeps
 * only what it still needs: the options object (and the array of head chunks, which the attempt also holds) go.
 */
class GuardedStream implements AsyncIterableIterator<Uint8Array> {
  private readonly endpoint: string;
  private readonly head: Uint8Array[];
  private readonly upstream: AsyncIterator<Uint8Array>;
  private readonly watcher: SseWatcher;
  private readonly cancel: (reason: unknown) => void;
  private readonly onSettle: (settlement: StreamSettlement) => void;
  private readonly filter: ChunkFilter | undefined;
  private readonly scrub: ((text: string) => string) | undefined;
  private readonly signal: CallerSignal | undefined;
  private readonly callerSignal: CallerSignal | undefined;
  private readonly onFailure: ((error: unknown) => Promise<IteratorResult<Uint8Array>>) | undefined;
  private readonly watchdog: IdleWatchdog | undefined;
  private readonly raw: boolean;
  private bytes = 0;
  // Without a filter: the end of the last chunk after its last line break, sent with the next (see `wholeLines`).
  private held: Uint8Array | undefined = undefined;
  // The last three bytes the caller was given, oldest highest (see `finish`).
  private tail = 0;
  private settled = false;
  private reading = false;
  // What a later `next()` throws after the stream ended badly; a caller's own `return()` leaves it undefined.
  private terminal: unknown = undefined;
  // The caller's read in flight: answered by the upstream's read, or failed (with a rejected promise) when the
  // stream ends from outside (a stall, the deadline, the caller's abort), whichever comes first. One promise per
  // read: a `Promise.race` against a shared "stopped" promise would allocate more per chunk and leave a reaction on
  // it for every chunk of a long stream.
  private answerRead: ((result: IteratorResult<Uint8Array> | Promise<IteratorResult<Uint8Array>>) => void) | undefined = undefined;
  private inFlight: Promise<IteratorResult<Uint8Array>> | undefined = undefined;

  private readonly onAbort = (): void => {
    const signal = this.signal!;
    if (this.callerSignal?.aborted) this.end('cancelled', 'caller', undefined, signal.reason);
    else this.end('interrupted', 'deadline', 'the request deadline passed', signal.reason);
  };

  constructor(options: GuardStreamOptions) {
    this.endpoint = options.endpoint;
    this.head = [...options.head];
    this.upstream = options.iterator;
    this.watcher = options.watcher;
    this.cancel = options.cancel;
    this.onSettle = options.onSettle;
    this.filter = options.filter;
    // A binary answer's bytes are not text: scrubbed as text they would be corrupted (as one read whole is not).
    this.scrub = options.raw === true ? undefined : options.scrub;
    this.signal = options.signal;
    this.callerSignal = options.callerSignal;
    this.onFailure = options.onFailure;
    this.raw = options.raw === true;
    const ms = options.idleTimeoutMs;
    const progressMs = options.progressTimeoutMs;
    this.watchdog = options.clock && ms !== undefined
      ? startIdleWatchdog(options.clock, ms, (reason) => {
        // A stall after the answer was whole but for its terminating event (every choice finished, a Messages
        // `message_delta` with its stop_reason) ends it whole, as a close or a reset there does.
        if (this.reading && this.endsWhole) this.endWhole();
        // Keep-alives without an event are the upstream's, whoever was reading: a reader that was slow in between
        // still got nothing else. Silence while the caller waits is the upstream's; while nobody reads, the caller's.
        else if (reason === 'no-progress' && this.raw) this.end('interrupted', 'stalled', `the answer's body took longer than ${progressMs} ms`);
        else if (reason === 'no-progress') this.end('interrupted', 'stalled', `the upstream stalled: keep-alives but no event for ${progressMs} ms`);
        else if (this.reading) this.end('interrupted', 'stalled', `the upstream stalled: no bytes for ${ms} ms`);
        else this.end('cancelled', 'abandoned', `the caller did not read the stream for ${ms} ms`);
      }, progressMs)
      : undefined;
    if (this.signal?.aborted) this.onAbort();
    else this.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    this.watchdog?.touch();
    // A read asked for while another is in flight waits its turn, as with any async iterator.
    const inFlight = this.inFlight;
    if (inFlight) return inFlight.then(this.nextInTurn, this.nextInTurn);
    return this.pump();
  }

  private readonly nextInTurn = (): Promise<IteratorResult<Uint8Array>> => this.next();

  /**
   * A read: a buffered chunk or the stream's ending answers at once; otherwise the caller's promise waits on upstream
   * reads, as many as it takes to yield something. Promise handlers rather than an async function: nothing of the
   * guard's stays suspended, holding a frame, while the upstream is silent.
   */
  private pump(): Promise<IteratorResult<Uint8Array>> {
    let ready: IteratorResult<Uint8Array> | undefined;
    try {
      ready = this.ready();
    } catch (error) {
      return this.failed(error);
    }
    if (ready) return Promise.resolve(ready);
    const read = new Promise<IteratorResult<Uint8Array>>((resolve) => {
      this.answerRead = resolve;
    });
    // In flight before the upstream is read: a read can be answered at once (a whole answer's last bytes, a withheld
    // failure), and answering clears `inFlight`. Set after it, a settled promise would stand as the read in flight,
    // and every later `next()` would wait its turn behind it, calling itself again for ever (the twelfth attack).
    this.inFlight = read;
    try {
      this.readUpstream();
    } catch (error) {
      // Out of the executor now: a throw on the way to a synchronous answer (an `onSettle` or `cancel` that throws)
      // must still answer the read, or it would stay in flight for good.
      this.answer(undefined, error);
    }
    return read;
  }

  private readUpstream(): void {
    // The filter withheld the upstream's failure (an error event, an unreadable one): nothing more this upstream
    // sends reaches the caller, and waiting for its end would hold the caller for as long as it streams on.
    if (this.filter?.upstreamError !== undefined) {
      this.end('interrupted', 'upstream', upstreamFailure);
      return;
    }
    // The terminating event has come: the answer is whole. An upstream that keeps the connection open after it
    // would hold the caller until the idle bound cut a complete answer as stalled.
    if (this.whole) {
      let out: IteratorResult<Uint8Array>;
      try {
        out = this.finish();
      } catch (error) {
        this.answer(undefined, error);
        return;
      }
      void this.upstream.return?.()?.catch(() => undefined);
      this.answer(out);
      return;
    }
    this.reading = true;
    let read: Promise<IteratorResult<Uint8Array>>;
    try {
      read = this.upstream.next();
    } catch (error) {
      this.onReadFailed(error);
      return;
    }
    read.then(this.onRead, this.onReadFailed);
  }

  /** Answers the read in flight, if it is still waiting (the stream may have ended it from outside meanwhile). */
  private answer(result: IteratorResult<Uint8Array> | undefined, error?: unknown): void {
    const answerRead = this.answerRead;
    this.answerRead = undefined;
    this.inFlight = undefined;
    if (answerRead) answerRead(result ?? this.failed(error));
  }

  /** What a failed read answers: `onFailure`'s answer, or the error. */
  private failed(error: unknown): Promise<IteratorResult<Uint8Array>> {
    if (!this.onFailure) return Promise.reject(error);
    try {
      return this.onFailure(error);
    } catch (thrown) {
      return Promise.reject(thrown);
    }
  }

  /** What the caller gets without reading the upstream: the ending once settled, else a buffered chunk, if any. */
  private ready(): IteratorResult<Uint8Array> | undefined {
    for (;;) {
      if (this.settled) return this.ending();
      const buffered = this.head.shift();
      if (!buffered) return undefined;
      if (this.raw) return this.deliver(buffered);
      const out = this.filter ? this.filtered(buffered, false) : this.wholeLines(buffered);
      if (!out) continue;
      return this.deliver(out);
    }
  }

  private readonly onRead = (result: IteratorResult<Uint8Array>): void => {
    this.reading = false;
    let out: IteratorResult<Uint8Array> | undefined;
    try {
      out = this.afterRead(result);
    } catch (error) {
      this.answer(undefined, error);
      return;
    }
    // A chunk that held only the removed event, or part of an event still arriving, yields nothing yet.
    if (out) this.answer(out);
    else this.readUpstream();
  };

  /** What an upstream read gives the caller: a chunk, the end, a throw for a cut, or undefined for nothing yet. */
  private afterRead(result: IteratorResult<Uint8Array>): IteratorResult<Uint8Array> | undefined {
    if (this.settled) return this.ending();
    if (this.raw) return this.afterRawRead(result);
    const watcher = this.watcher;
    if (result.done) {
      if (watcher.error !== undefined) return this.interrupt(upstreamFailure);
      // Providers that never send `[DONE]` still end every choice with a finish_reason before a clean close.
      if (!watcher.closeEnds) return this.interrupt('the upstream closed the stream without its terminating event');
      return this.finish();
    }
    const events = watcher.events;
    // What the watcher hands on (line ends written as a lone CR made line feeds) is what every reader after it gets.
    const value = watcher.push(result.value);
    // Bytes are activity; only an event is progress (a keep-alive comment or ping is not). An ending settles the
    // stream, which stops the watchdog, so only a chunk marks either.
    if (watcher.events !== events) this.watchdog?.progress();
    else this.watchdog?.touch();
    if (watcher.overflowed) {
      this.end('interrupted', 'upstream', 'the upstream sent an event longer than maxResponseBytes');
      return this.ending();
    }
    const out = this.filter ? this.filtered(value, false) : this.wholeLines(value);
    if (!out) return undefined;
    return this.deliver(out);
  }

  /**
   * A binary answer's read: a chunk as it came, or a whole answer at a clean close. A chunk is activity, not progress:
   * a body that drips a byte at a time is cut at `progressTimeoutMs` (the deadline), as one read whole was.
   */
  private afterRawRead(result: IteratorResult<Uint8Array>): IteratorResult<Uint8Array> {
    if (result.done) {
      this.settle('complete');
      return { done: true, value: undefined };
    }
    this.watchdog?.touch();
    return this.deliver(result.value);
  }

  /** What a read of a settled stream gives: its terminal error, thrown, or the end. */
  private ending(): IteratorResult<Uint8Array> {
    if (this.terminal !== undefined) throw this.terminal;
    return { done: true, value: undefined };
  }

  private readonly onReadFailed = (cause: unknown): void => {
    this.reading = false;
    try {
      if (this.settled) {
        this.answer(this.ending());
        return;
      }
      // Some proxies reset the connection after the last event: the answer was already whole. So it was when every
      // choice had its finish_reason, as at a clean close (providers that never send `[DONE]`): only the usage chunk
      // that may follow is lost, and the stream is priced by estimate.
      if (this.endsWhole) this.answer(this.finish());
      else this.interrupt(cause instanceof Error ? cause.message : 'the upstream connection failed', cause);
    } catch (error) {
      this.answer(undefined, error);
    }
  };

  async return(): Promise<IteratorResult<Uint8Array>> {
    if (!this.settled && this.whole) {
      // The caller stopped after the terminating event: a whole answer, not a cancellation.
      this.settle('complete');
      void this.upstream.return?.()?.catch(() => undefined);
    } else if (!this.settled) {
      this.settle('cancelled', 'caller');
      this.cancel(new Error('the caller stopped reading'));
      void this.upstream.return?.()?.catch(() => undefined);
      this.answer(undefined, new Error('the caller stopped reading'));
    }
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array> {
    return this;
  }

  private settle(outcome: StreamSettlement['outcome'], cause?: StreamEndCause, error?: StreamInterruptedError): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.watchdog?.stop();
    this.signal?.removeEventListener('abort', this.onAbort);
    this.onSettle({ outcome, cause, error, bytes: this.bytes, watcher: this.watcher });
    return true;
  }

  /** Ends the stream from outside a read: cancels the upstream and fails any read in flight. */
  private end(outcome: 'interrupted' | 'cancelled', cause: StreamEndCause, reason: string | undefined, thrown?: unknown): void {
    if (this.settled) return;
    const error = reason === undefined ? undefined : new StreamInterruptedError({ endpoint: this.endpoint, bytesDelivered: this.bytes, reason, cause: thrown });
    const terminal = error ?? thrown;
    this.terminal = terminal;
    this.settle(outcome, cause, error);
    this.cancel(terminal);
    void this.upstream.return?.()?.catch(() => undefined);
    this.answer(undefined, terminal);
  }

  private interrupt(reason: string, cause?: unknown): never {
    const error = new StreamInterruptedError({ endpoint: this.endpoint, bytesDelivered: this.bytes, reason, cause });
    this.terminal = error;
    this.settle('interrupted', 'upstream', error);
    throw error;
  }

  /**
   * Runs the filter on a chunk (`flush` true: its end of stream); one that throws has refused the upstream's
   * bytes, which ends the stream here.
   */
  private filtered(chunk: Uint8Array | undefined, flush: boolean): Uint8Array | undefined {
    try {
      return flush ? this.filter!.flush() : this.filter!.push(chunk!);
    } catch (error) {
      this.end('interrupted', 'diverged', error instanceof Error ? error.message : String(error), error);
      throw this.terminal;
    }
  }

  /** Whether the upstream has sent its terminating event, and no failure before it. */
  private get whole(): boolean {
    return this.watcher.finished && this.failureless;
  }

  /** Whether an upstream that stops here (a close, a reset, a stall) has given a whole answer. */
  private get endsWhole(): boolean {
    return this.whole || (this.watcher.choicesFinished && this.failureless);
  }

  /** Ends a stream the upstream stopped sending after a whole answer: the read in flight gets its end. */
  private endWhole(): void {
    try {
      this.answer(this.finish());
    } catch (error) {
      this.answer(undefined, error);
    }
    this.cancel(new Error('the upstream stalled after a whole answer'));
    void this.upstream.return?.()?.catch(() => undefined);
  }

  /** No error event came, nor a failure the filter withheld. */
  private get failureless(): boolean {
    return this.watcher.error === undefined && this.filter?.upstreamError === undefined;
  }

  /**
   * The chunk up to its last line break; what follows it goes out with the next chunk. An SSE reader acts on nothing
   * before a line's end, so this holds back nothing a caller could use, and no line is split between two chunks: a
   * key an upstream quotes in an error line is whole in the chunk the scrub reads (split, each half passed it, and
   * the caller joined them). Nearly every chunk ends with a line break and passes as it is. A line is bounded by
   * the watcher (`maxResponseBytes`).
   */
  private wholeLines(chunk: Uint8Array): Uint8Array | undefined {
    const bytes = afterHeld(this.held, chunk);
    this.held = undefined;
    if (bytes[bytes.length - 1] === 10) return bytes;
    const end = bytes.lastIndexOf(10) + 1;
    // A copy, not a view: a view would keep the whole chunk alive until the next one arrives.
    if (end < bytes.length) this.held = bytes.slice(end);
    return end === 0 ? undefined : bytes.subarray(0, end);
  }

  private finish(): IteratorResult<Uint8Array> {
    // A last line without its line break (a clean close right after it) still goes out.
    const rest = this.filter ? this.filtered(undefined, true) : this.held;
    // The filter withheld a failure the watcher cannot see (it parses few events): an unreadable one, say.
    if (this.filter?.upstreamError !== undefined) this.interrupt(upstreamFailure);
    // Text after the last line break, which the watcher never read as a line: scrubbed unread, once a stream.
    const out = rest && this.scrub ? scrubbedBytes(rest, this.scrub) : rest;
    // The terminating event is read at its data line, and its blank line may be in a read not waited for (an upstream
    // writing line by line) or never come (a close right after it). Without it an SSE reader never dispatches the
    // event: the SDKs ended on the event before, a Responses stream without `response.completed`. So the event gets
    // the blank line the upstream did not send: after the rest when the rest is whole lines (a filter's held event),
    // before it when the rest is an unfinished line (which stays unfinished, so no reader acts on it).
    const restIsLines = out === undefined || out[out.length - 1] === 10;
    if (out && restIsLines) this.noteTail(out);
    const closing = this.bytes + (out?.byteLength ?? 0) === 0 || endsEvent(this.tail) ? undefined : (this.tail & 0xff) === 10 ? lineBreak : blankLine;
    const closed = !closing ? out : restIsLines ? afterHeld(out, closing) : afterHeld(closing, out!);
    // Ended whole without its terminating event (a Messages stream cut after its last `message_delta`): the reader
    // is owed it, after what came (an unfinished line left unfinished would swallow it, so then nothing is added).
    const owed = restIsLines ? this.watcher.missingTerminator : undefined;
    const value = owed === undefined ? closed : afterHeld(closed, encoder.encode(owed));
    if (value) this.bytes += value.byteLength;
    this.settle('complete');
    return value ? { done: false, value } : { done: true, value: undefined };
  }

  /** Counts a chunk the caller is given, and keeps its last bytes (see `finish`). */
  /** Gives the caller whole lines (or a filter's whole events), scrubbed of the endpoints' keys. */
  private deliver(lines: Uint8Array): IteratorResult<Uint8Array> {
    const out = this.scrub ? scrubbedBytes(lines, this.scrub) : lines;
    this.bytes += out.byteLength;
    this.noteTail(out);
    return { done: false, value: out };
  }

  private noteTail(out: Uint8Array): void {
    const length = out.length;
    if (length >= 3) this.tail = (out[length - 3]! << 16) | (out[length - 2]! << 8) | out[length - 1]!;
    else for (const byte of out) this.tail = ((this.tail << 8) | byte) & 0xffffff;
  }
}

const encoder = new TextEncoder();
const lineBreak = encoder.encode('\n');
const blankLine = encoder.encode('\n\n');

/** Whether the last bytes given end an SSE event: a blank line (`\n\n`, or `\r\n\r\n` and `\n\r\n`). */
const endsEvent = (tail: number): boolean => (tail & 0xffff) === 0x0a0a || tail === 0x0a0d0a;

