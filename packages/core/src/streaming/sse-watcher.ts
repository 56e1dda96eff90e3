import { answeredModelName } from '../apis/model-name';
import { mergeAnthropicUsage, readUsage, type Usage } from '../pricing/usage';
import { chunkNews, finishes } from './chunk-news';
import { isDoneMarker } from './done-marker';
import { leadingType } from './event-type';
import { createUtf8StreamDecoder } from './utf8-stream-decoder';

/** What a watcher has seen of an event stream so far. */
export interface SseWatcher {
  /**
   * Feeds the next raw chunk; events may be split across chunks anywhere, even inside a character. Returns the chunk
   * as every reader after the watcher gets it: the same bytes, but for line ends written as a lone CR (which SSE
   * allows, and every reader downstream would miss), made line feeds.
   */
  push(chunk: Uint8Array): Uint8Array;
  /**
   * The stream's terminating event arrived: `data: [DONE]` (chat and completions), `response.completed` or a
   * `response.incomplete` for `max_output_tokens` (Responses), `message_stop` (Anthropic Messages). A stream that
   * closes before it was cut. Check {@link SseWatcher.error} too: a stream can finish after an error event.
   */
  readonly finished: boolean;
  /**
   * Why the stream failed, with the provider's payload where there is one: an `error` event (or a `data:` object
   * with a top-level `error`), the `error` of a `response.failed`, the `incomplete_details` of a
   * `response.incomplete` other than `max_output_tokens`. Undefined while nothing went wrong.
   */
  readonly error: unknown;
  /**
   * The usage reported in the stream: chat's usage chunk (`stream_options.include_usage`), the usage of the
   * Responses API's terminal event, Anthropic's `message_start` merged with its `message_delta`s.
   */
  readonly usage: Usage | undefined;
  /**
   * `usage` is the provider's final count: chat's usage chunk, the Responses API's terminal event, an Anthropic
   * `message_delta`. Anthropic's `message_start` alone reports the prompt and a placeholder output count (often 1):
   * a stream cut after it has its output estimated.
   */
  readonly usageComplete: boolean;
  /** `data:` events seen, of any kind but Anthropic's keep-alive `ping`; the first one commits the stream. */
  readonly events: number;
  /**
   * Events that carry generated output, about one token each, which prices a stream cut before its usage: chat
   * chunks (not `[DONE]`, nor a finish or usage chunk without output), the Responses API's `*.delta` events,
   * Anthropic's `content_block_delta`. Lifecycle events (`response.created`, `ping`, `content_block_start`...) are
   * not counted.
   */
  readonly outputEvents: number;
  /** The Responses API's response id (from `response.created`, else the first response object seen). */
  readonly responseId: string | undefined;
  /**
   * The model a Responses stream says it ran (from the same response object as `responseId`): what prices it when
   * the request named none (a stored prompt chose it).
   */
  readonly responseModel: string | undefined;
  /** A Responses stream of a background response (`"background": true`): billed when it finishes, not when cut. */
  readonly responseBackground: boolean;
  /**
   * The event still arriving has grown past the watcher's limit (`maxEventLength`): an upstream that never ends a
   * line, or sends line after line and never the blank line that ends an event, would otherwise be held in memory
   * without bound by whoever relays whole events. The stream cannot be relayed; its reader ends it.
   */
  readonly overflowed: boolean;
  /**
   * Every expected choice has reported a `finish_reason`. Several providers never send `data: [DONE]`: such a
   * stream that then closes cleanly is a whole answer. Not a terminating event by itself: a usage chunk may follow.
   * An Anthropic Messages stream's `message_delta` with its `stop_reason` is the same: every block has ended and
   * only `message_stop` is left (see {@link SseWatcher.missingTerminator}). Always false for Responses streams, which
   * end only with their terminal event.
   */
  readonly choicesFinished: boolean;
  /**
   * The terminating event a stream ended whole without ({@link SseWatcher.choicesFinished}) still owes its reader,
   * as SSE text: Anthropic's `message_stop`, without which the Anthropic SDK's `finalMessage()` has no message.
   * Chat needs none (the SDKs end on a close without `[DONE]`). Undefined once the stream sent its own.
   */
  readonly missingTerminator: string | undefined;
  /**
   * A clean close now ends a whole answer: the terminating event came, every choice finished, or (on a route whose
   * grammar Detour does not know, see {@link createSseWatcher}) every event so far was typed in a grammar Detour does
   * not read (`speech.audio.delta`, `image_generation.completed`), which ends with an event of its own. A chat chunk
   * or an event of a known grammar keeps that grammar's rule, whatever the route.
   */
  readonly closeEnds: boolean;
}

/**
 * The failure a chat choice that finished with `finish_reason: "error"` and no `error` object beside it is (OpenRouter
 * normalises an upstream's failed generation so): the choice ended, but not with an answer.
 */
export const finishedInError = 'a choice finished with finish_reason "error"';

/** The failure an event no parse can read is: a code the attempt's reason names (`HTTP 200 with an error event: server_error (unreadable_event)`). */
const unreadableEvent = Object.freeze({ code: 'unreadable_event', message: 'the upstream sent an event that is not valid JSON' });

/** Whether data opens with `{` and closes with `}` (blanks around them aside, as JSON allows): a JSON event's shape. */
const looksLikeObject = (data: string): boolean =>
  (data.charCodeAt(0) === 123 || data.trimStart().startsWith('{')) && (data.charCodeAt(data.length - 1) === 125 || data.trimEnd().endsWith('}'));

const messageStopEvent = 'event: message_stop\ndata: {"type":"message_stop"}\n\n';

const typeOpening = '{"type":"';
/** Whether `data` opens `{"type":"<name>"` as Responses and Anthropic events written compactly do. */
const namesItself = (data: string, name: string): boolean =>
  data.startsWith(typeOpening) && data.startsWith(name, typeOpening.length) && data.charCodeAt(typeOpening.length + name.length) === 34;

type Json = Record<string, unknown>;
const record = (value: unknown): Json | undefined => (typeof value === 'object' && value !== null ? (value as Json) : undefined);
const parse = (data: string): Json | undefined => {
  try {
    return record(JSON.parse(data));
  } catch {
    // A malformed event is the client's problem to see; it is not ours to drop.
    return undefined;
  }
};

const outputKeys = ['content', 'text', 'refusal', 'reasoning', 'reasoning_content'] as const;

/** Does a chat or completions chunk carry output: text, a refusal, reasoning or a tool call in some choice? */
const carriesOutput = (parsed: Json): boolean => {
  const choices = parsed.choices;
  if (!Array.isArray(choices)) return false;
  for (const choice of choices as Json[]) {
    const said = record(choice?.delta) ?? choice;
    if (said?.tool_calls || said?.function_call) return true;
    for (const key of outputKeys) if (typeof said?.[key] === 'string' && said[key] !== '') return true;
  }
  return false;
};

class Watcher implements SseWatcher {
  finished = false;
  error: unknown = undefined;
  usage: Usage | undefined = undefined;
  usageComplete = false;
  events = 0;
  outputEvents = 0;
  responseId: string | undefined = undefined;
  responseModel: string | undefined = undefined;
  responseBackground = false;
  choicesFinished: boolean;
  overflowed = false;
  // Strips a byte-order mark at the stream's start, as a default TextDecoder does; no converter of its own.
  private readonly decoder = createUtf8StreamDecoder({ stripBom: true });
  private pending = '';
  // The last chunk ended with a CR, made a line feed: a line feed opening the next is its pair (see `withLineFeeds`).
  private crEnded = false;
  // Characters of the event still arriving, in lines already read (the unfinished line is `pending`).
  private eventLength = 0;
  // Chat unless an event says otherwise; `[DONE]` and finish_reasons end only a chat stream.
  private named = false;
  private lastEvent = '';
  // Anthropic's raw usage so far, which each message_delta updates.
  private messageUsage: Json | undefined = undefined;
  // Choice indexes that reported a finish_reason; a small array, since `n` is small. Made on the first one.
  private finishedChoices: number[] | undefined = undefined;
  private failedChoices = 0;
  // A Messages stream's `message_delta` gave its stop_reason: only `message_stop` is left.
  private messageStopped = false;
  // An `event:` line has named an event of this stream.
  private namesEvents = false;
  // `data:` lines of the event still arriving, and its data when it runs over several lines (held to its blank line).
  private dataLines = 0;
  private heldData: string | undefined = undefined;

  get missingTerminator(): string | undefined {
    return this.messageStopped && !this.finished ? messageStopEvent : undefined;
  }

  // Events of no grammar Detour reads, and events of one it reads (chat chunks, named events), seen so far.
  private foreignEvents = 0;
  private readableEvents = 0;

  get closeEnds(): boolean {
    return this.finished || this.choicesFinished || (this.unknownRoute && this.foreignEvents > 0 && this.readableEvents === 0);
  }

  constructor(
    private readonly expectedChoices: number,
    private readonly maxEventLength: number,
    private readonly unknownRoute: boolean,
  ) {
    this.choicesFinished = expectedChoices <= 0;
  }

  push(raw: Uint8Array): Uint8Array {
    const chunk = this.crEnded || raw.indexOf(13) >= 0 ? this.withLineFeeds(raw) : raw;
    const decoded = this.decoder.decode(chunk);
    // A long line arriving in many reads is held as it comes and read once its end arrives: a search of what is held
    // would copy all of it on every read (quadratic: a 16 MB line took 13 s).
    if (decoded.indexOf('\n') < 0) {
      this.pending += decoded;
      if (this.eventLength + this.pending.length > this.maxEventLength) this.overflowed = true;
      return chunk;
    }
    // Scan only what is new: a large event arriving in many small reads is not rescanned from its start.
    const from = this.pending.length;
    const text = this.pending + decoded;
    let start = 0;
    let newline = text.indexOf('\n', from);
    while (newline >= 0) {
      const end = newline > start && text.charCodeAt(newline - 1) === 13 /* \r */ ? newline - 1 : newline;
      // A relay holds an event whole until its blank line: many short lines are bounded as one long one is.
      this.eventLength = end === start ? 0 : this.eventLength + newline + 1 - start;
      this.readLine(text.slice(start, end));
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    this.pending = start === 0 ? text : text.slice(start);
    if (this.eventLength + this.pending.length > this.maxEventLength) this.overflowed = true;
    return chunk;
  }

  /**
   * The chunk with each line end written as a lone CR made a line feed; a CRLF stays. A CR that ends a chunk is made
   * one too, and the line feed that may open the next chunk (its pair) is then dropped. Only a chunk with a CR in it
   * (or after one) comes here, and only one with a lone CR is copied.
   */
  private withLineFeeds(chunk: Uint8Array): Uint8Array {
    if (chunk.length === 0) return chunk;
    const pairOpens = this.crEnded && chunk[0] === 10;
    this.crEnded = chunk[chunk.length - 1] === 13;
    let lone = this.crEnded;
    for (let at = chunk.indexOf(13); at >= 0 && !lone; at = chunk.indexOf(13, at + 1)) lone = chunk[at + 1] !== 10;
    if (!lone && !pairOpens) return chunk;
    const out = chunk.slice(pairOpens ? 1 : 0);
    for (let at = out.indexOf(13); at >= 0; at = out.indexOf(13, at + 1)) if (at + 1 === out.length || out[at + 1] !== 10) out[at] = 10;
    return out;
  }

  private noteFinishReasons(parsed: Json): void {
    const choices = parsed.choices;
    if (!Array.isArray(choices)) return;
    const finished = (this.finishedChoices ??= []);
    for (const choice of choices as { index?: unknown; finish_reason?: unknown }[]) {
      if (typeof choice?.finish_reason !== 'string') continue;
      const index = typeof choice.index === 'number' ? choice.index : 0;
      if (finished.includes(index) || finished.length >= this.expectedChoices) continue;
      finished.push(index);
      // A stream of several choices with one that failed still answers with the others, as its JSON answer does.
      if (choice.finish_reason === 'error' && ++this.failedChoices >= this.expectedChoices) this.error ??= finishedInError;
    }
    this.choicesFinished = !this.named && finished.length >= this.expectedChoices;
  }

  /** The stream speaks a named grammar (Responses, Anthropic): finish_reasons no longer end it. */
  private nameGrammar(): void {
    if (this.named) return;
    this.named = true;
    this.choicesFinished = false;
  }

  /** A Responses API event. Deltas and other in-flight events are counted or skipped without a parse. */
  private readResponseEvent(type: string, data: string, parsed?: Json): void {
    this.nameGrammar();
    if (type.endsWith('.delta')) {
      this.outputEvents += 1;
      return;
    }
    const terminal = type === 'response.completed' || type === 'response.incomplete' || type === 'response.failed';
    if (!terminal && (this.responseId !== undefined || (type !== 'response.created' && type !== 'response.in_progress'))) return;
    const response = record((parsed ?? parse(data))?.response);
    if (typeof response?.id === 'string') this.responseId ??= response.id;
    this.responseModel ??= answeredModelName(response?.model);
    if (response?.background === true) this.responseBackground = true;
    if (!terminal) return;
    this.noteUsage(readUsage(response?.usage), true);
    // A `response.completed` whose response says `failed` or `incomplete` is that event under another name: the
    // SDKs yield it as a completed stream's last event, and the caller's answer is short.
    const status = type === 'response.completed' ? response?.status : undefined;
    if (type === 'response.completed' && status !== 'failed' && status !== 'incomplete') {
      // Complete even if its JSON was malformed: the event came; the client will judge its body.
      this.finished = true;
    } else if (type === 'response.failed' || status === 'failed') {
      this.error ??= response?.error ?? `${type} event with status failed`;
    } else {
      // The caller's own max_output_tokens is an answer it asked for, like chat's finish_reason `length`; a content
      // filter is the provider's answer, like chat's finish_reason `content_filter` (another endpoint must not be
      // asked to say what this one's filter stopped, and the caller is owed the event). Any other reason (an unknown
      // one) leaves the answer short of what the model would say.
      const details = record(response?.incomplete_details);
      if (details?.reason === 'max_output_tokens' || details?.reason === 'content_filter') this.finished = true;
      else this.error ??= details ?? 'response.incomplete event';
    }
  }

  /** An Anthropic Messages event. */
  private readMessageEvent(type: string, data: string, parsed?: Json): void {
    // A keep-alive, which other servers send on chat streams too (`event: ping`): it says nothing of the grammar.
    if (type === 'ping') return;
    this.nameGrammar();
    if (type.startsWith('content_block_')) {
      if (type === 'content_block_delta') this.outputEvents += 1;
      // A block after the stop_reason (no provider sends one) is an answer going on: a cut now loses it.
      if (this.messageStopped) this.messageStopped = this.choicesFinished = false;
    } else if (type === 'message_stop') {
      // Unnamed in a stream that names its events, the Anthropic SDK (which reads an event by its name) never sees
      // it: the stream is whole, and owes the named one at its end.
      if (this.lastEvent === '' && this.namesEvents) this.messageStopped = this.choicesFinished = true;
      else this.finished = true;
    } else if (type === 'message_start' || type === 'message_delta') {
      const event = parsed ?? parse(data);
      if (type === 'message_delta' && typeof record(event?.delta)?.stop_reason === 'string') {
        // Every block has ended: a connection that closes or resets now has lost only `message_stop`.
        this.messageStopped = true;
        this.choicesFinished = true;
      }
      const reported = type === 'message_start' ? record(event?.message)?.usage : event?.usage;
      if (reported === undefined) return;
      this.messageUsage = mergeAnthropicUsage(this.messageUsage, reported);
      this.noteUsage(readUsage(this.messageUsage), type === 'message_delta');
    }
  }

  private readErrorEvent(data: string, parsed?: Json): void {
    const event = parsed ?? parse(data);
    // Anthropic and some Responses relays nest the error (`{"type":"error","error":{…}}`); the Responses API's
    // documented event has `code` and `message` at the top.
    this.error = event === undefined ? data : (event.error ?? event);
  }

  /** Dispatches a named event; false when the name belongs to no grammar Detour knows. */
  private readNamed(type: string, data: string, parsed?: Json): boolean {
    if (type === 'error') this.readErrorEvent(data, parsed);
    else if (type.startsWith('response.')) this.readResponseEvent(type, data, parsed);
    else if (type.startsWith('message_') || type.startsWith('content_block_') || type === 'ping') this.readMessageEvent(type, data, parsed);
    else return false;
    return true;
  }

  /** A chat or completions chunk: parsed only when it can finish a choice, carry usage or an error. */
  private readChunk(data: string): void {
    if (isDoneMarker(data)) {
      if (this.named) return;
      this.finished = true;
      // Every choice that came failed (an upstream that ignores `n` sends one): no answer, as its JSON twin is none.
      if (this.failedChoices > 0 && this.failedChoices === this.finishedChoices!.length) this.error ??= finishedInError;
      return;
    }
    this.outputEvents += 1;
    // An error may sit anywhere in the chunk (`{"id":…,"error":{…},"choices":[]}`), a usage too.
    const news = chunkNews(data);
    if (news === 0) return;
    const ends = (news & finishes) !== 0;
    const parsed = parse(data);
    if (!parsed) return;
    // A Responses or Anthropic event whose `type` is not its first key.
    if (typeof parsed.type === 'string' && this.readNamed(parsed.type, data, parsed)) {
      this.outputEvents -= 1;
      return;
    }
    if (ends) this.noteFinishReasons(parsed);
    // A chunk read whole here (it finishes a choice, or carries usage) is output only if a choice says something.
    if (!carriesOutput(parsed)) this.outputEvents -= 1;
    if (parsed.error !== undefined && parsed.error !== null) this.error = parsed.error;
    this.noteUsage(readUsage(parsed.usage), true);
  }

  /** Keeps a usage the stream reported (a later report replaces an earlier one), and whether it is final. */
  private noteUsage(found: Usage | undefined, complete: boolean): void {
    if (!found) return;
    this.usage = found;
    this.usageComplete = complete;
  }

  private readLine(line: string): void {
    if (line === '') {
      const held = this.heldData;
      if (held !== undefined) {
        this.heldData = undefined;
        this.readData(held);
      }
      this.lastEvent = ''; // a blank line ends the event, and its name with it
      this.dataLines = 0;
    } else if (line.startsWith('data:')) {
      const data = line.slice(line.charCodeAt(5) === 32 ? 6 : 5);
      if (this.heldData !== undefined) {
        this.heldData += `\n${data}`;
      } else if (this.unknownRoute) {
        this.readData(data);
      } else if (this.dataLines > 0) {
        // More data for an event read whole already: joined to it (as the SDKs join an event's lines), it is no JSON.
        if (data !== '') this.error ??= unreadableEvent;
      } else if (isDoneMarker(data) || looksLikeObject(data)) {
        // Nearly every event: one line, read at once.
        this.readData(data);
      } else {
        // An event's data may run over several `data:` lines, joined by line feeds (JSON written over several lines,
        // as sse-starlette and Spring send it; an empty first line, which joined is a blank before the JSON): data
        // that does not close its object waits for the blank line.
        this.heldData = data;
      }
      this.dataLines += 1;
    } else if (line.startsWith('event:')) {
      const name = line.slice(6).trim();
      // `message` is SSE's default name, which some relays write on every event: it names nothing, and the data's
      // `type` says what the event is.
      this.lastEvent = name === 'message' ? '' : name;
      if (this.lastEvent !== '') this.namesEvents = true;
      // Known to be an error before its data arrives: a close right here is still a failure.
      if (this.lastEvent === 'error') this.error ??= 'error event';
    }
  }

  /** An event's data: all of it, from one `data:` line or several joined. */
  private readData(data: string): void {
    // Data that is no JSON object (one cut short, text) on a route whose events are JSON breaks every SDK's reader:
    // the upstream's failure, which fails over before the first byte and ends the stream interrupted after it. An
    // empty `data:` is no event to the SDKs (they skip it), and `[DONE]` is chat's ending.
    if (!this.unknownRoute && data !== '' && !isDoneMarker(data) && !looksLikeObject(data)) this.error ??= unreadableEvent;
    // A named event's data opens with its own name nearly always: checked in place, without reading the type.
    const leading = this.lastEvent !== '' && namesItself(data, this.lastEvent) ? this.lastEvent : leadingType(data);
    // The openai SDK reads a Responses event by its data's `type`, Anthropic's by its `event:` name: an upstream
    // that names one event and sends another (`response.completed` over a failed response) is read as each SDK
    // would not, so the disagreement itself fails the stream.
    if (this.lastEvent !== '' && leading !== '' && leading !== this.lastEvent) this.error ??= 'an event whose name and data type disagree';
    const type = this.lastEvent || leading;
    // Anthropic's `ping` is a keep-alive, not an answer: one sent before `message_start` must not commit the
    // stream, or an upstream that only pings would hold the caller past the first-byte timeout, with no failover.
    if (type !== 'ping') {
      // A Messages stream opens with `message_start`, and the Anthropic SDK's stream helper throws on one that does
      // not: read as a failure, it fails over before the first byte. (A Responses stream may open later on purpose:
      // a retrieval resumed with `starting_after`.)
      if (this.events === 0 && (type.startsWith('content_block_') || type === 'message_delta' || type === 'message_stop')) {
        this.error ??= `a Messages stream that opened with ${type}, not message_start`;
      }
      this.events += 1;
    }
    if (type !== '' && this.readNamed(type, data)) {
      this.readableEvents += 1;
    } else {
      // A data event whose `type` names no grammar Detour reads is foreign; an untyped one is a chat chunk (as is one
      // that names itself a chat chunk first, `chat.completion.chunk`).
      if (type === '' || type.startsWith('chat.completion')) this.readableEvents += 1;
      else {
        this.foreignEvents += 1;
        // An error a foreign event carries (`{"type":"x.failed","error":{…}}`) fails it as an untyped one's does.
        if (data.includes('"error":{')) this.error ??= parse(data)?.error ?? undefined;
      }
      this.readChunk(data);
    }
  }
}

/**
 * Watches a server-sent event stream as it passes through, without buffering it: notes the terminating event,
 * error events, usage and the response id, in the grammar of whichever API the stream speaks (told apart by its
 * events: chat chunks have no `type`, Responses events are `response.*`, Anthropic's are `message_*` and
 * `content_block_*`). A stream that closes without its terminating event was cut, whatever TCP said.
 *
 * The fast path matters: a chunk carrying one token is split into lines and, for the named grammars, dispatched on
 * its event name without a parse; only the few events that can change the verdict (terminal, error, usage, the
 * first response object) are parsed.
 *
 * Over the usual length on purpose: one line-oriented parser whose state (the partial line, the current event
 * name, the grammar, the choices seen finishing, Anthropic's usage so far) must persist across chunks. A class, so
 * its readers live on the prototype: a gateway holds one watcher per open stream, and closures over a scope would
 * cost each of them ten functions and the scope. What callers read are plain data properties of the watcher.
 *
 * @param maxEventLength the longest event (its lines so far, and the unfinished one) before `overflowed`
 * (characters) @default no limit
 * @param unknownRoute the stream answers a route whose grammar Detour does not know (`/audio/speech`): one whose events
 * are all of a grammar Detour does not read ends on a clean close (`closeEnds`) @default false
 */
export const createSseWatcher = (expectedChoices = 1, maxEventLength = Number.POSITIVE_INFINITY, unknownRoute = false): SseWatcher =>
  new Watcher(expectedChoices, maxEventLength, unknownRoute);
