import { initialBackoffState } from '../backoff/backoff';
import { AbortSource } from '../budget/abort-source';
import { startDeadline, type Deadline } from '../budget/deadline';
import { AttemptsExhaustedError } from '../errors/attempts-exhausted-error';
import { DetourError } from '../errors/detour-error';
import { StreamInterruptedError } from '../errors/stream-interrupted-error';
import type { CallerSignal } from '../ports/caller-signal';
import { isPromiseLike } from '../ports/maybe-promise';
import { continuationBody, endpointContinuation } from '../rescue/continuation';
import { createDeliveredAnswer, deliveredTokens, outputLimit, type DeliveredAnswer } from '../rescue/delivered-answer';
import { createMessagesRelay } from '../rescue/messages-relay';
import { createRescueRelay, type RelayMode, type RescueRelay, type RescueRelayOptions } from '../rescue/rescue-relay';
import { guardStream, type StreamSettlement } from '../streaming/guard-stream';
import { withParsedBody, type PreparedRequest } from './prepare-request';
import { awaitStore, awaitWithin, stopWaiting, unanswered } from './await-store';
import { releaseHeld } from './release-held';
import type { RequestState } from './request-state';
import type { RouterContext } from './router-context';
import type { AttemptSuccess } from './run-attempt';
import { runAttemptLoop } from './send-request';
import type { Candidate } from './serving-endpoints';
import { cancelAttempt, settleStream, settleUnrescued, settlingAttempt, type SettlingAttempt } from './settle-stream';
import { closedByShutDown, settledAfterShutDown } from './router-lifecycle';
import { scrubbedQuote } from '../secrets/scrubbed-quote';
import { interruptedStreamEvent } from '../streaming/interrupted-event';
import { withoutAddedUsage } from './stream-options-refusal';
import { releaseQuota } from '../quota/quota-step';

const chatPath = /^\/chat\/completions\/?(\?|$)/;
const messagesPath = /^\/messages\/?(\?|$)/;

/** The API of a stream that may be rescued, or undefined: a chat completion of one choice, or an Anthropic message. */
const rescueApi = (prepared: PreparedRequest): 'chat' | 'messages' | undefined => {
  if (!prepared.stream || !Array.isArray(prepared.json?.messages)) return undefined;
  if (chatPath.test(prepared.path)) return prepared.choices === 1 ? 'chat' : undefined;
  return messagesPath.test(prepared.path) ? 'messages' : undefined;
};

/** Can this request's stream be rescued at all? A chat completion stream of one choice or a Messages stream, with rescue on. */
export const isRescuable = (rescue: 'off' | 'continue' | 'continue-or-replay', prepared: PreparedRequest): boolean =>
  rescue !== 'off' && rescueApi(prepared) !== undefined;

/** One upstream stream feeding the caller's: the first answer, or a rescue's. */
interface Segment {
  readonly candidate: Candidate;
  readonly relay: RescueRelay;
  iterator: AsyncIterableIterator<Uint8Array>;
  settlement: StreamSettlement | undefined;
}

const encoder = new TextEncoder();

// An error type as Anthropic spells them (`overloaded_error`, `api_error`): anything else is not passed on.
const anthropicErrorType = /^[a-z][a-z0-9_]{0,63}$/;

/** The `type` of an error event an upstream sent (`{"type":"overloaded_error",…}`), when it has a plausible one. */
const upstreamErrorType = (said: unknown): string | undefined => {
  const type = typeof said === 'object' && said !== null ? (said as { type?: unknown }).type : undefined;
  return typeof type === 'string' && anthropicErrorType.test(type) ? type : undefined;
};

/**
 * The SSE error event that ends a stream no rescue could finish, in the API's own shape. On Messages its type is the
 * one the caller would have seen without rescue: the original cut's error event's (`overloaded_error` mid-stream).
 */
const errorEvent = (error: StreamInterruptedError, api: 'chat' | 'messages', cutType: string | undefined): Uint8Array =>
  interruptedStreamEvent(error.message, api, cutType);

/**
 * The caller's stream for a rescuable chat completion: one well-formed answer made of one or more upstream
 * segments. When a segment is cut or stalls (the endpoint is charged a breaker failure, and the attempt priced,
 * as for any cut) and the deadline, `maxAttempts` and the retry budget allow, the routing loop runs again on a state
 * of its own, over the endpoints that can take the answer on: each in the mode its declared `continuation` allows
 * (`continue` with the delivered text as an assistant prefix, else `replay`), the cut endpoint only after
 * `cooldown.overloadedMs`. The served rescue becomes the next segment, relayed in the first answer's name.
 *
 * A rescue's own failures (a 400 from a target that refuses prefill, a replay that diverges) never reach the caller
 * as such: when no rescue finishes the answer, the stream ends with one SSE error event and a
 * `StreamInterruptedError` naming the original cut and what the rescue came to. The request settles once, when the
 * last segment does.
 */
export const createRescueStream = (context: RouterContext, state: RequestState, first: AttemptSuccess): AsyncIterableIterator<Uint8Array> =>
  new RescueStream(context, state, first);

/** What nothing has been assigned yet: a segment's guard before it is made. */
const unopened: AsyncIterableIterator<Uint8Array> = {
  next: () => Promise.resolve({ done: true, value: undefined }),
  [Symbol.asyncIterator]() {
    return this;
  },
};

/**
 * The state of one rescuable stream (see {@link createRescueStream}). A class, with its steps on the prototype: a
 * gateway holds one per open chat stream for the stream's life, and a closure per step would cost each a dozen
 * functions and a scope. Per stream it makes one closure (the caller's abort listener), and per segment the
 * guard's two.
 */
class RescueStream implements AsyncIterableIterator<Uint8Array> {
  private readonly api: 'chat' | 'messages';
  private readonly answer: DeliveredAnswer;
  private readonly firstByteMs: number;
  // The endpoint that sent the first byte: the metrics file the stream's time to first byte under it.
  private readonly firstByteEndpoint: string;
  private readonly callerSignal: CallerSignal | undefined;
  // Aborts a rescue in progress when the caller leaves (return()); the caller's own abort is linked in. Made only
  // when a rescue starts: most streams end whole, and a signal per stream is garbage on the hot path.
  private leave: AbortSource | undefined = undefined;
  private leftWith: { reason: unknown } | undefined = undefined;
  // The rescues' deadlines, disposed with the stream; made by the first rescue.
  private deadlines: Deadline[] | undefined = undefined;
  private cut: StreamInterruptedError | undefined = undefined;
  // The type of the upstream error event that made the original cut, if one did (Messages: `overloaded_error`).
  private cutType: string | undefined = undefined;
  // Endpoints whose stream broke during this request, and when: each rescue tries them last, after their cooldown.
  private broken: Map<string, number> | undefined = undefined;
  private rescueFrom: string | undefined = undefined;
  private rescueNeeded = false;
  private finished = false;
  private closed = false;
  private failure: unknown = undefined;
  private rescues = 0;
  private mode: RelayMode | undefined = undefined;
  // The delivered answer reached the caller's output limit (`max_tokens`): a continuation would pass it.
  private limitSpent = false;
  // A rescue whose answer the caller has not read yet, and the heartbeat timers of the reads waiting for it.
  private rescuing: Promise<IteratorResult<Uint8Array>> | undefined = undefined;
  private heartbeats: Set<unknown> | undefined = undefined;
  // What the segments before the current one delivered: with the current one's, what the caller has received.
  private deliveredBefore = 0;
  private segment: Segment;
  private readonly onCallerAbort = (): void => this.leaveWith(this.callerSignal?.reason);

  constructor(
    private readonly context: RouterContext,
    private readonly state: RequestState,
    first: AttemptSuccess,
  ) {
    this.api = rescueApi(state.prepared)!;
    // What it delivered is held as text, bounded like any answer Detour holds.
    this.answer = createDeliveredAnswer(context.options.maxResponseBytes);
    this.firstByteMs = first.firstByteMs;
    this.firstByteEndpoint = state.chosen!.name;
    this.callerSignal = state.request.signal;
    this.callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
    this.segment = this.open(first, settlingAttempt(state, first), state.chosen!, this.createRelay({ mode: 'pass', answer: this.answer, stripUsage: state.prepared.stripUsage }), state.deadline.signal);
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    // A rescue is still under way (the caller was sent a heartbeat meanwhile): its answer comes first.
    return this.rescuing === undefined || this.closed ? this.read() : this.awaitRescue();
  }

  /** The caller's next read when no rescue is under way. */
  private read(): Promise<IteratorResult<Uint8Array>> {
    if (this.failure !== undefined) {
      const error = this.failure;
      this.failure = undefined;
      this.finished = true;
      return Promise.reject(error);
    }
    if (this.finished) return Promise.resolve({ done: true, value: undefined });
    // The common case is the segment's guard's own read, passed on as it is: no promise or async frame of this
    // stream's own waits beside it for the minutes the stream lasts. A read that fails comes to `broke` (the
    // guard's `onFailure`), whose answer the caller gets instead.
    return this.segment.iterator.next();
  }

  /** Bytes the caller has received: every segment's, as its guard counted them. */
  private get bytes(): number {
    return this.deliveredBefore + (this.segment.settlement?.bytes ?? 0);
  }

  /** A read of the current segment failed: a rescue carries the answer on, or the caller learns why not. */
  private readonly broke = async (error: unknown): Promise<IteratorResult<Uint8Array>> => {
    if (this.closed) throw error;
    const segment = this.segment;
    if (this.rescueNeeded) {
      this.rescueNeeded = false;
      if (this.cut === undefined) {
        this.cut = error instanceof StreamInterruptedError ? error : new StreamInterruptedError({ endpoint: segment.candidate.name, bytesDelivered: this.bytes, reason: String(error) });
        this.cutType = upstreamErrorType(segment.relay.upstreamError);
      }
      this.rescueFrom ??= this.cut.endpoint;
      const work = this.carryOn(segment, error);
      // A rescue within a rescue (the rescued segment broke before its first byte) is part of the outer one's wait,
      // which beats for both.
      if (this.rescuing !== undefined || this.context.options.rescueHeartbeatMs === 0) return work;
      this.rescuing = work;
      // The caller may leave (return()) while it runs: its ending is then nobody's to read.
      work.catch(() => undefined);
      return this.awaitRescue();
    }
    // The last segment ended badly and no rescue follows. After a rescue, or when the upstream's error event
    // was withheld, the caller gets Detour's error event first; otherwise the cut surfaces as it always has.
    const settlement = segment.settlement;
    if (this.rescues > 0 && settlement?.outcome === 'interrupted' && error instanceof StreamInterruptedError) {
      const checked = this.mode === 'continue' ? 'continuation' : 'replay';
      return this.fail(settlement.cause === 'diverged' ? `the ${checked} on "${segment.candidate.name}" ${error.reason}` : `the rescued stream from "${segment.candidate.name}" broke too (${error.reason})`, error);
    }
    if (segment.relay.upstreamError !== undefined && error instanceof StreamInterruptedError) {
      if (this.cut === undefined) {
        this.cut = error;
        this.cutType = upstreamErrorType(segment.relay.upstreamError);
      }
      const said = segment.relay.upstreamError;
      // The upstream's own words leave in Detour's error event (and its logs): scrubbed of the endpoints' keys, as
      // every relayed upstream error is, and only then shortened.
      return this.fail(undefined, error, scrubbedQuote(`${error.reason}: ${typeof said === 'string' ? said : JSON.stringify(said)}`, this.context.scrub));
    }
    throw error;
  };

  /** Rescues the answer after `segment` broke: resolves with the rescued segment's first read, or the ending. */
  private async carryOn(segment: Segment, cause: unknown): Promise<IteratorResult<Uint8Array>> {
    const { state } = this;
    const attemptsBefore = state.attempts.length;
    try {
      const next = await this.rescue();
      this.deliveredBefore += segment.settlement?.bytes ?? 0;
      this.segment = next;
    } catch (rescueError) {
      this.cleanUp();
      // The router's shutdown ended the rescue (its wait, its attempt), or closed the caller's connection.
      const { lifecycle } = this.context;
      const shutDown = lifecycle.shutDown && ((DetourError.isInstance(rescueError) && rescueError.code === 'router_closed') || closedByShutDown(lifecycle, this.callerSignal));
      // The caller left during the rescue (return(), or its signal): nobody is there to tell.
      if (this.closed || this.callerSignal?.aborted) {
        this.finished = true;
        settleUnrescued(this.context, state, segment.candidate.name, shutDown ? 'router_closed' : 'client_closed', this.firstByteMs, this.firstByteEndpoint);
        if (this.closed) return { done: true, value: undefined };
        throw this.callerSignal!.reason;
      }
      let note = this.describe(rescueError, attemptsBefore);
      // The segment that broke was a rescue's own: say how, or the caller reads only that nothing was left to try.
      if (this.rescues > 1) {
        note = `the rescued stream from "${segment.candidate.name}" broke too (${cause instanceof StreamInterruptedError ? cause.reason : String(cause)}); then ${note}`;
      }
      // The shutdown ended the rescue: not a rescue that failed (its metrics and spans would say so).
      if (!shutDown) this.report('failed', undefined, note);
      settleUnrescued(this.context, state, segment.candidate.name, shutDown ? 'router_closed' : 'stream_interrupted', this.firstByteMs, this.firstByteEndpoint);
      return this.fail(note, rescueError);
    }
    // The rescue's segment goes on where the cut one stopped (a replay first catches up, in silence).
    return this.read();
  }

  /**
   * The caller's read while a rescue runs: the rescue's answer, or an SSE comment every `rescueHeartbeatMs` until it
   * comes. A rescue can take minutes (a new first byte, then a replay repeating what was delivered), and a proxy or
   * load balancer between Detour and the caller closes a connection idle that long. The caller is always at an
   * event boundary here (relays pass only whole events), and every SSE reader skips comments.
   */
  private awaitRescue(): Promise<IteratorResult<Uint8Array>> {
    const work = this.rescuing!;
    const { clock, options } = this.context;
    const heartbeats = (this.heartbeats ??= new Set());
    return new Promise((resolve, reject) => {
      let answered = false;
      const answer = (): boolean => {
        if (answered) return false;
        answered = true;
        clock.cancel(timer);
        heartbeats.delete(timer);
        return true;
      };
      const timer = clock.schedule(() => {
        if (answer()) resolve({ done: false, value: encoder.encode(': detour is rescuing this stream\n\n') });
      }, options.rescueHeartbeatMs);
      heartbeats.add(timer);
      // The rescue's answer goes to one read, once; a read queued behind it (or answered by a heartbeat) reads on.
      work.then(
        (result) => {
          if (!answer()) return;
          if (this.rescuing !== work) return resolve(this.next());
          this.rescuing = undefined;
          resolve(result);
        },
        (error: unknown) => {
          if (!answer()) return;
          if (this.rescuing !== work) return resolve(this.next());
          this.rescuing = undefined;
          reject(error);
        },
      );
    });
  }

  async return(value?: unknown): Promise<IteratorResult<Uint8Array>> {
    this.closed = true;
    this.finished = true;
    this.rescuing = undefined;
    // The segment first, so that a rescued one the caller leaves settles as the caller's doing, not the deadline's.
    await this.segment.iterator.return?.(value);
    this.leaveWith(new Error('the caller stopped reading'));
    this.cleanUp();
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array> {
    return this;
  }

  private createRelay(options: RescueRelayOptions): RescueRelay {
    return this.api === 'messages' ? createMessagesRelay(options) : createRescueRelay(options);
  }

  private leaveWith(reason: unknown): void {
    this.leftWith ??= { reason };
    this.leave?.abort(reason);
  }

  private leaveSignal(): CallerSignal {
    if (!this.leave) {
      this.leave = new AbortSource();
      if (this.leftWith) this.leave.abort(this.leftWith.reason);
    }
    return this.leave;
  }

  private cleanUp(): void {
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
    if (this.heartbeats) for (const timer of this.heartbeats) this.context.clock.cancel(timer);
    this.heartbeats?.clear();
    const deadlines = this.deadlines;
    if (deadlines) for (const deadline of deadlines.splice(0)) deadline.dispose();
  }

  /** The mode a target would take the answer on, or undefined when it cannot under the options. */
  private modeFor(candidate: Candidate): 'continue' | 'replay' | undefined {
    const answer = this.answer;
    // Rescued only while the answer holds only what is compared: a Messages answer all text (tool use and thinking
    // blocks are not compared), a chat answer without a refusal, audio or another field a replay would repeat.
    if (!answer.textOnly) return undefined;
    const plain = answer.reasoning === '' && answer.toolCalls.length === 0;
    // Nothing delivered yet: any fresh answer is consistent with it.
    if (plain && answer.content === '') return 'replay';
    const dialect = endpointContinuation(candidate.endpoint);
    // The Messages API has one way to continue: Anthropic's prefill. An answer whose estimate used up the caller's
    // output limit is replayed where replays are allowed (it ends as the limit ended it); elsewhere a continuation
    // asks for one token, since the estimate may be high and a rescue beats a cut.
    const replays = this.context.options.rescue === 'continue-or-replay';
    if (plain && !(this.limitSpent && replays) && (this.api === 'messages' ? dialect === 'anthropic' : dialect !== 'none')) return 'continue';
    return replays ? 'replay' : undefined;
  }

  private mayRescue(settlement: StreamSettlement): boolean {
    const { state } = this;
    const { options, clock } = this.context;
    return settlement.outcome === 'interrupted' && (settlement.cause === 'upstream' || settlement.cause === 'stalled') &&
      !this.closed && this.callerSignal?.aborted !== true && this.answer.finishReason === undefined && !this.answer.overflowed &&
      clock.now() < state.startedAt + options.deadlineMs && state.attempts.length < options.maxAttempts &&
      state.serving.some((candidate) => this.modeFor(candidate) !== undefined);
  }

  private report(outcome: 'rescued' | 'diverged' | 'failed', to: string | undefined, reason: string): void {
    const from = this.rescueFrom!;
    const at = this.context.clock.now();
    const mode = this.mode;
    this.context.emit(() => ({ type: 'stream-rescue', from, to, mode: mode === 'pass' ? undefined : mode, outcome, reason, at }));
  }

  /** Opens a segment on a served attempt; its guard keeps `attempt`, not the outcome, whose headers and head chunks can go. */
  private open(outcome: AttemptSuccess, attempt: SettlingAttempt, candidate: Candidate, relay: RescueRelay, signal: CallerSignal): Segment {
    const { head, iterator, watcher } = outcome.stream!;
    const { options, clock } = this.context;
    const segment: Segment = { candidate, relay, settlement: undefined, iterator: unopened };
    segment.iterator = guardStream({
      endpoint: candidate.name, head, iterator, watcher, filter: relay, scrub: this.context.scrub, clock,
      idleTimeoutMs: options.streamIdleTimeoutMs, progressTimeoutMs: options.deadlineMs, signal, callerSignal: this.callerSignal,
      cancel: cancelAttempt(outcome), onFailure: this.broke,
      onSettle: (settlement) => this.settled(segment, attempt, settlement),
    });
    return segment;
  }

  /** A segment's guard settled it: notes whether a rescue follows, and settles the attempt (and the request, if not). */
  private settled(segment: Segment, attempt: SettlingAttempt, ended: StreamSettlement): void {
    const candidate = segment.candidate;
    // A cut after the router's shutdown is the shutdown's: not rescued, and not a failed rescue.
    const settlement = settledAfterShutDown(this.context.lifecycle, this.context.describeTransportError, ended, this.callerSignal);
    segment.settlement = settlement;
    const rescueNeeded = this.mayRescue(settlement);
    this.rescueNeeded = rescueNeeded;
    if (!rescueNeeded && this.rescues > 0) {
      if (settlement.outcome === 'complete') this.report('rescued', candidate.name, 'the rescued stream ended whole');
      else if (settlement.outcome === 'interrupted') this.report(settlement.cause === 'diverged' ? 'diverged' : 'failed', candidate.name, settlement.error?.reason ?? 'interrupted');
    } else if (this.answer.overflowed && (settlement.cause === 'upstream' || settlement.cause === 'stalled')) {
      // Not tried: say so, or an operator sees only the cut.
      this.rescueFrom ??= candidate.name;
      this.report('failed', undefined, 'not tried: the answer passed maxResponseBytes');
    }
    settleStream(this.context, this.state, candidate, attempt, settlement, !rescueNeeded, this.firstByteMs, this.firstByteEndpoint);
    if (!rescueNeeded) this.cleanUp();
  }

  /** Runs the routing loop for the rest of the answer; resolves with the next segment or throws why not. */
  private async rescue(): Promise<Segment> {
    const { context, state, answer } = this;
    const { options, clock } = context;
    this.rescues += 1;
    this.mode = undefined;
    const now = clock.now();
    const from = this.segment.candidate.name;
    const broken = (this.broken ??= new Map());
    broken.set(from, now);
    const deadline = startDeadline(clock, Math.max(1, state.startedAt + options.deadlineMs - now), this.leaveSignal());
    (this.deadlines ??= []).push(deadline);
    const trims = new Map<string, string>();
    // The served stream let its parsed body go: this rescue parses the bytes again, once.
    const prepared = withParsedBody(state.prepared);
    const delivered = deliveredTokens(answer, prepared.json);
    const limit = outputLimit(prepared.json);
    this.limitSpent = limit !== undefined && delivered >= limit;
    const rescueState: RequestState = {
      ...state,
      // Its caller is the rescue stream's reader: a reader who stops reading (`return()`, a `for await` left early)
      // leaves as one who aborts, and the rescue attempt it cuts is its doing, not the endpoint's (attack 23).
      request: { ...state.request, signal: this.leaveSignal() },
      prepared,
      serving: state.serving.filter((candidate) => this.modeFor(candidate) !== undefined),
      deadline,
      tried: new Set(broken.keys()),
      // Shared with the request and every rescue of it, as the original set was before it was made on first use:
      // an endpoint gets one same-endpoint retry per request, not one more per rescue.
      retriedSame: (state.retriedSame ??= new Set()),
      // "Or the same one after its cooldown": an endpoint that broke this stream waits its turn behind every other.
      retryAt: new Map([...broken].map(([name, at]) => [name, at + options.cooldown.overloadedMs])),
      passedOver: undefined,
      backoff: initialBackoffState, last: undefined, sameOnly: undefined, waited: false, retryPaid: false,
      chosen: undefined, admission: undefined, attemptStartedAt: 0,
      holdsProbe: false, holdsPending: false, heldStream: undefined, recheck: undefined, ended: false,
      rescuing: true,
      rewriteBody: (candidate, callerBody) => {
        if (this.modeFor(candidate) !== 'continue') return undefined;
        const dialect = endpointContinuation(candidate.endpoint);
        if (dialect === 'none') return undefined;
        // An endpoint that refuses the `stream_options` Detour added gets the caller's own options, as in any attempt.
        const built = continuationBody(callerBody ? withoutAddedUsage(prepared.json!) : prepared.json!, {
          prefix: answer.content, dialect, model: candidate.upstreamModel ?? state.model, deliveredTokens: delivered,
        });
        trims.set(candidate.name, built.trimmed);
        return built.body;
      },
    };
    try {
      // A rescue is a retry after a failure: it draws on the retry budget like one, so a fleet of cut streams
      // cannot multiply load on the endpoints left.
      const asked = context.store.spendRetry(now, options.retryBudget);
      const spent = isPromiseLike(asked) ? await awaitStore(context, rescueState, asked) : asked;
      if (spent === unanswered) stopWaiting(context, rescueState);
      if (!spent) {
        throw new DetourError('rescue_refused', { message: 'no rescue attempt was allowed: the retry budget is spent' });
      }
      const served = await runAttemptLoop(context, rescueState);
      const candidate = rescueState.chosen!;
      // The served stream belongs to its segment's guard from here, which releases it however it ends.
      rescueState.holdsPending = false;
      rescueState.heldStream = undefined;
      if (options.streamDeadline === 'first-byte') deadline.disarm();
      const mode = this.modeFor(candidate)!;
      this.mode = mode;
      const relay = this.createRelay({
        mode, answer, stripUsage: state.prepared.stripUsage, trimmed: trims.get(candidate.name) ?? '', prefixTokens: delivered,
      });
      return this.open(served.outcome, settlingAttempt(rescueState, served.outcome), candidate, relay, deadline.signal);
    } catch (error) {
      // As a request's loop that gives up (`sendRequest`): the quota its last attempt took (or the queue held for
      // it) goes back first. Left held, every rescue that failed so kept a reservation for good.
      releaseQuota(context, rescueState, rescueState.holdsPending || rescueState.heldStream !== undefined);
      const released = releaseHeld(context, rescueState);
      if (released) await awaitWithin(context.clock, released);
      throw error;
    }
  }

  /** What a failed rescue attempt loop says, in a few words for the caller's error. */
  private describe(error: unknown, attemptsBefore: number): string {
    if (error instanceof AttemptsExhaustedError) {
      const tried = this.state.attempts.slice(attemptsBefore).map((attempt) => `"${attempt.endpoint}" ${attempt.reason}`);
      return tried.length > 0 ? `no endpoint took the answer on (${tried.join('; ')})` : `no endpoint took the answer on (${error.reason})`;
    }
    return error instanceof Error ? error.message : String(error);
  }

  /**
   * Ends the caller's stream with Detour's error event now and the error on the next read: after a rescue that
   * could not finish the answer (`rescueNote` says what became of it), or a cut whose own error event was withheld.
   */
  private fail(rescueNote: string | undefined, cause: unknown, reason = this.cut!.reason): IteratorResult<Uint8Array> {
    const error = new StreamInterruptedError({ endpoint: this.cut!.endpoint, bytesDelivered: this.bytes, reason, cause, rescue: rescueNote, sentAsEvent: true });
    this.failure = error;
    return { done: false, value: errorEvent(error, this.api, this.cutType) };
  }
}
