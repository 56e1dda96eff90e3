import type { ChunkFilter } from '../streaming/usage-chunk-filter';
import { firstChoice, noteDelivered, type ChunkDelta, type DeliveredAnswer } from './delivered-answer';
import { createReplayMatcher, type ReplayMatcher } from './replay-matcher';
import { createRestartProbe, maxHeldEvents, restartDiverged, type RestartProbe } from './restart-probe';
import { EventFraming, readEvent, readEventObject, unreadable, unreadableEvent } from './sse-events';
import { isDoneMarker } from '../streaming/done-marker';
import { finishedInError } from '../streaming/sse-watcher';

/**
 * How a relay treats its upstream. `pass`: the first answer, relayed byte for byte (only whole events). `continue`:
 * a continuation of the delivered text, spliced on. `replay`: a fresh answer to the same request, of which only
 * what follows the delivered text is relayed.
 */
export type RelayMode = 'pass' | 'continue' | 'replay';

/** A chunk filter that keeps the caller's stream one answer, and notes what the caller received. */
export interface RescueRelay extends ChunkFilter {
  /** An error event the upstream sent, withheld from the caller: a rescue may still deliver the answer. */
  readonly upstreamError: unknown;
}

/** What a relay needs besides its mode. */
export interface RescueRelayOptions {
  readonly mode: RelayMode;
  /** Updated with every chunk the caller receives. */
  readonly answer: DeliveredAnswer;
  /** Detour asked for usage the caller did not: drop the usage-only event. */
  readonly stripUsage: boolean;
  /** `continue`: whitespace cut from the prefix (Anthropic), taken off the continuation's start if it repeats it. */
  readonly trimmed?: string;
  /** `continue`: tokens delivered before this continuation, which its usage counts as prompt, not output. */
  readonly prefixTokens?: number;
}


/** The failure a chunk carries: its `error`, or a finish_reason `error` with none beside it (as the watcher reads). */
const chunkError = (chunk: Record<string, unknown>): unknown => {
  if (chunk.error !== undefined && chunk.error !== null) return chunk.error;
  return firstChoice(chunk)?.finish_reason === 'error' ? finishedInError : undefined;
};

const isUsageOnly = (chunk: Record<string, unknown>): boolean =>
  (chunk.choices === null || (Array.isArray(chunk.choices) && chunk.choices.length === 0)) &&
  typeof chunk.usage === 'object' && chunk.usage !== null && chunk.prompt_filter_results === undefined;

/**
 * The relay of one chat segment (see {@link createRescueRelay}). A class over {@link EventFraming}: a gateway holds
 * one per open rescuable stream, and with its readers on the prototype each costs one object, not a scope and ten
 * closures.
 */
class ChatRelay extends EventFraming implements RescueRelay {
  upstreamError: unknown = undefined;
  private usageRemoved = false;
  private toTrim: string;
  private replay: ReplayMatcher | undefined;
  // `continue`: until the continuation's text shows it truly continues (see `createRestartProbe`), its events are
  // held; a target that ignored the prefill and started over is then relayed as the replay it is.
  private probe: RestartProbe | undefined;
  private effective: RelayMode;
  private restarted = false;
  private held: string[] | undefined = undefined;
  private readonly mode: RelayMode;
  private readonly answer: DeliveredAnswer;
  private readonly stripUsage: boolean;
  private readonly prefixTokens: number;

  constructor({ mode, answer, stripUsage, trimmed = '', prefixTokens = 0 }: RescueRelayOptions) {
    super();
    this.mode = mode;
    this.answer = answer;
    this.stripUsage = stripUsage;
    this.prefixTokens = prefixTokens;
    this.toTrim = trimmed;
    this.replay = mode === 'replay' ? createReplayMatcher(answer) : undefined;
    this.probe = mode === 'continue' ? createRestartProbe(answer.content) : undefined;
    this.effective = mode;
  }

  protected relay(event: string): string {
    try {
      return this.probe ? this.relayProbed(event, this.probe) : this.relayDecided(event);
    } catch (error) {
      throw this.restarted ? restartDiverged(error) : error;
    }
  }

  private identity(chunk: Record<string, unknown>): void {
    const answer = this.answer;
    if (answer.id !== undefined) chunk.id = answer.id;
    if (answer.created !== undefined) chunk.created = answer.created;
    if (answer.model !== undefined) chunk.model = answer.model;
    if (answer.systemFingerprint !== undefined && 'system_fingerprint' in chunk) chunk.system_fingerprint = answer.systemFingerprint;
  }

  /** The usage event of a rescue segment, in the first answer's name. */
  private usageEvent(chunk: Record<string, unknown>): string {
    this.identity(chunk);
    // A continuation's prompt held the delivered prefix: those tokens belong to the answer the caller got.
    const usage = chunk.usage as Record<string, unknown>;
    if (this.effective === 'continue' && typeof usage.prompt_tokens === 'number' && typeof usage.completion_tokens === 'number') {
      const moved = Math.min(this.prefixTokens, usage.prompt_tokens);
      usage.prompt_tokens -= moved;
      usage.completion_tokens += moved;
    }
    return `data: ${JSON.stringify(chunk)}\n\n`;
  }

  /** The event to send for a content chunk of a continuation: role dropped, Anthropic's whitespace not doubled. */
  private continued(chunk: Record<string, unknown>): string | undefined {
    const choice = firstChoice(chunk);
    const delta = choice?.delta as (ChunkDelta & Record<string, unknown>) | undefined;
    if (delta) {
      delete delta.role;
      // A continuation goes on from delivered text: reasoning it writes now (a reasoning model given a prefill) is
      // another generation's thinking, and would reach the caller after the answer it came before.
      delete delta.reasoning_content;
      delete delta.reasoning;
      delete delta.reasoning_details;
      const toTrim = this.toTrim;
      if (toTrim !== '' && typeof delta.content === 'string' && delta.content !== '') {
        let shared = 0;
        while (shared < toTrim.length && shared < delta.content.length && toTrim[shared] === delta.content[shared]) shared += 1;
        delta.content = delta.content.slice(shared);
        this.toTrim = '';
      }
    }
    return this.emitChunk(chunk);
  }

  private emitChunk(chunk: Record<string, unknown>): string | undefined {
    const choice = firstChoice(chunk);
    const delta = choice?.delta as Record<string, unknown> | undefined;
    const empty = delta !== undefined && Object.keys(delta).every((key) => delta[key] === undefined || delta[key] === '' || delta[key] === null);
    if (choice && empty && typeof choice.finish_reason !== 'string' && chunk.usage == null) return undefined;
    this.identity(chunk);
    noteDelivered(this.answer, chunk);
    return `data: ${JSON.stringify(chunk)}\n\n`;
  }

  /** What the caller receives for one whole event ('' for nothing), once the segment's mode is known. */
  private relayDecided(event: string): string {
    const { name, data } = readEvent(event);
    if (data === undefined) return event;
    if (name === 'error') {
      this.upstreamError = data;
      return '';
    }
    if (data !== undefined && isDoneMarker(data)) {
      this.replay?.finish();
      return event;
    }
    const chunk = readEventObject(data);
    // A cut or garbled chunk: the caller's SDK would throw on it, and a rescue may still deliver the answer.
    if (chunk === unreadable) {
      this.upstreamError = unreadableEvent(data);
      return '';
    }
    if (!chunk) return event;
    const error = chunkError(chunk);
    if (error !== undefined) {
      this.upstreamError = error;
      return '';
    }
    if (isUsageOnly(chunk)) {
      // Only the one usage event Detour asked for is removed.
      if (this.stripUsage && !this.usageRemoved) {
        this.usageRemoved = true;
        return '';
      }
      return this.mode === 'pass' ? event : this.usageEvent(chunk);
    }
    if (this.mode === 'pass') {
      noteDelivered(this.answer, chunk);
      return event;
    }
    if (this.effective === 'continue') return this.continued(chunk) ?? '';
    return this.replay!.admit(chunk) ? (this.emitChunk(chunk) ?? '') : '';
  }

  /** Holds a continuation's events until its text says whether it continues or started over, then relays them. */
  private relayProbed(event: string, active: RestartProbe): string {
    const { name, data } = readEvent(event);
    const read = data === undefined ? undefined : readEventObject(data);
    // Withheld in any mode, and noted at once: the segment may end before a verdict.
    if (name === 'error' || read === unreadable || (read !== undefined && chunkError(read) !== undefined)) return this.relayDecided(event);
    const chunk = read;
    const held = (this.held ??= []);
    held.push(event);
    let verdict = data !== undefined && isDoneMarker(data) ? active.end() : undefined;
    const choice = chunk ? firstChoice(chunk) : undefined;
    if (choice) {
      const delta = choice.delta;
      if (typeof delta?.content === 'string' && delta.content !== '') verdict = active.see(delta.content);
      else if (Array.isArray(delta?.tool_calls)) verdict = 'continue';
      if (verdict === undefined && typeof choice.finish_reason === 'string') verdict = active.end();
    }
    if (verdict === undefined && held.length >= maxHeldEvents) verdict = active.end();
    if (verdict === undefined) return '';
    this.probe = undefined;
    if (verdict === 'replay') {
      this.effective = 'replay';
      this.restarted = true;
      this.replay = createReplayMatcher(this.answer);
    }
    return held.splice(0).map((one) => this.relayDecided(one)).join('');
  }
}

/**
 * Creates the relay for one segment of a rescuable chat completion stream. It emits whole events only (a cut
 * half-event never reaches the caller, where the next segment's bytes would be glued onto it), withholds error
 * events (the caller learns of a failure once, from Detour, when no rescue saves it), and in `continue` and
 * `replay` rewrites each chunk to carry the first answer's `id`, `created`, `model` and `system_fingerprint`, so
 * the caller's SDK sees one answer. Throws `ReplayDivergedError` from `push` when a replay departs from the
 * delivered text: the guard ends the stream there, before any of it reaches the caller. A `continue` segment whose
 * target ignored the prefill and started the answer over is checked as a replay (see `createRestartProbe`).
 */
export const createRescueRelay = (options: RescueRelayOptions): RescueRelay => new ChatRelay(options);
