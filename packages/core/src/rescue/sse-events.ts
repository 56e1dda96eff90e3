// The two pieces of SSE framing the rescue relays share: where an event ends, and what it says.
import { createUtf8StreamDecoder } from '../streaming/utf8-stream-decoder';

/**
 * Where the first event in `text` (searched from `from`) ends: just past its blank line (`\n\n`, with optional
 * `\r`s), or -1. A scan rather than a regex over a slice: it runs on every chunk of every chat stream.
 */
export const eventEnd = (text: string, from: number): number => {
  let index = text.indexOf('\n', from);
  while (index >= 0) {
    const next = text.charCodeAt(index + 1);
    if (next === 10) return index + 2;
    if (next === 13 && text.charCodeAt(index + 2) === 10) return index + 3;
    index = text.indexOf('\n', index + 1);
  }
  return -1;
};

/** An event's name and its `data:` lines joined; `data` is undefined for comments and blank events. */
export const readEvent = (event: string): { name: string; data: string | undefined } => {
  // A byte order mark opens a stream's first event only: SSE readers drop it, and so does reading here.
  if (event.charCodeAt(0) === 0xfeff) event = event.slice(1);
  // Nearly every event is one `data: …` line.
  if (event.startsWith('data: ') && event.indexOf('\n') === event.length - 2) return { name: '', data: event.slice(6, -2) };
  let name = '';
  let data: string | undefined;
  for (const line of event.split(/\r?\n/)) {
    if (line.startsWith('data:')) {
      const value = line.slice(line[5] === ' ' ? 6 : 5);
      data = data === undefined ? value : `${data}\n${value}`;
    } else if (line.startsWith('event:')) {
      name = line.slice(6).trim();
    }
  }
  return { name, data };
};

/** What {@link readEventObject} gives for data that opens a JSON object and does not parse. */
export const unreadable: unique symbol = Symbol('unreadable event');

/** Whether a character code is JSON's whitespace (space, tab, line feed, carriage return). */
const isJsonSpace = (code: number): boolean => code === 32 || code === 9 || code === 10 || code === 13;

/**
 * An event's data as a JSON object. Undefined for data that is no object (`[DONE]`, anything of a grammar Detour
 * does not know: relayed as it is); {@link unreadable} for data that opens an object and does not parse, a chunk cut
 * or garbled upstream, on which the caller's SDK would throw. An object may follow JSON whitespace (`data:  {…}`
 * parses in every SDK, so it is read, and its text noted as delivered); one after a byte order mark parses in none.
 */
export const readEventObject = (data: string): Record<string, any> | undefined | typeof unreadable => {
  let start = 0;
  while (isJsonSpace(data.charCodeAt(start))) start += 1;
  const first = data.charCodeAt(start);
  if (first === 0xfeff) return data.charCodeAt(start + 1) === 123 ? unreadable : undefined;
  if (first !== 123) return undefined;
  try {
    // Text that opens with `{` and parses is an object.
    return JSON.parse(data) as Record<string, any>;
  } catch {
    return unreadable;
  }
};

// Far more than any quote keeps, so a key cut here is past what the quote shows once scrubbed; it bounds the copy.
const quotedPrefix = 64 * 1024;

/**
 * What a relay withholds as the upstream's error when an event is {@link unreadable}, for the logs: the event (its
 * first 64 KiB), which whoever quotes it scrubs and then shortens (`scrubbedQuote`).
 */
export const unreadableEvent = (data: string): string => `an event that is not valid JSON (${data.length > quotedPrefix ? data.slice(0, quotedPrefix) : data})`;

const encoder = new TextEncoder();

/**
 * Cuts a byte stream into whole SSE events and hands each to `relay`, whose output is what the caller receives: a
 * half event is held until its blank line arrives, so a cut never leaves one to be glued to the next segment. The
 * usual case, whole events in and the same events out, hands back the upstream's own bytes, not a re-encoding.
 * A class that relays extend: a gateway holds one per open rescuable stream, and methods on the prototype cost it
 * nothing per stream where closures would cost a scope and a function each.
 */
export abstract class EventFraming {
  // Keeps a byte order mark, as the upstream sent it.
  private readonly decoder = createUtf8StreamDecoder();
  private pending = '';
  // The last few characters of `pending`, where a blank line split across reads may begin.
  private tail = '';

  /** What the caller receives for one whole event ('' for nothing). */
  protected abstract relay(event: string): string;

  /**
   * The error the upstream sent in its stream, which the relay withheld (the request is rescued, or ends with
   * Detour's own error event). Nothing the upstream sends after it reaches the caller: least of all the `[DONE]` or
   * `message_stop` that often follows, which would end the caller's stream as if whole before the rescue or the
   * error.
   */
  abstract readonly upstreamError: unknown;

  /** The caller's share of one whole event: nothing once the upstream has sent an error. */
  private relayed(event: string): string {
    return this.upstreamError === undefined ? this.relay(event) : '';
  }

  push(chunk: Uint8Array): Uint8Array | undefined {
    let from = Math.max(0, this.pending.length - 3);
    // The chunk's own bytes can go out as they are only if they decode alone: no character cut at either end.
    const fresh = this.pending === '' && !this.decoder.holding;
    const text = this.decoder.decode(chunk);
    // A long event arriving in many reads is held as it comes: its end is looked for in the new text alone (and the
    // few characters before it), since a search of all that is held would copy it on every read.
    if (this.pending !== '' && eventEnd(this.tail + text, 0) < 0) {
      this.pending += text;
      this.tail = (this.tail + text).slice(-3);
      return undefined;
    }
    this.pending += text;
    let output = '';
    for (;;) {
      const end = eventEnd(this.pending, from);
      if (end < 0) break;
      const event = this.pending.slice(0, end);
      this.pending = this.pending.slice(end);
      from = 0;
      output += this.relayed(event);
    }
    this.tail = this.pending.slice(-3);
    if (fresh && this.pending === '' && !this.decoder.holding && output === text) return chunk;
    return output === '' ? undefined : encoder.encode(output);
  }

  flush(): Uint8Array | undefined {
    // A last event without its blank line (a clean close right after it) is still whole; an unfinished line after it
    // is not, and is left out, as an SSE reader leaves it (read as an event, it failed a whole answer as unreadable).
    const text = this.pending + this.decoder.flush();
    const rest = text.slice(0, text.lastIndexOf('\n') + 1);
    this.pending = '';
    this.tail = '';
    if (rest.trim() === '') return undefined;
    const output = this.relayed(`${rest}\n\n`);
    return output === '' ? undefined : encoder.encode(output);
  }
}

/** {@link EventFraming} around a relay function, with the error event that relay withheld. */
class FramingOf extends EventFraming {
  constructor(
    private readonly relayEvent: (event: string) => string,
    private readonly withheldError: () => unknown,
  ) {
    super();
  }

  get upstreamError(): unknown {
    return this.withheldError();
  }

  protected relay(event: string): string {
    return this.relayEvent(event);
  }
}

/** An {@link EventFraming} that hands each whole event to `relay`; `upstreamError` reads what `withheldError` says. */
export const createEventFraming = (
  relay: (event: string) => string,
  withheldError: () => unknown = () => undefined,
): { push(chunk: Uint8Array): Uint8Array | undefined; flush(): Uint8Array | undefined; readonly upstreamError: unknown } => new FramingOf(relay, withheldError);
