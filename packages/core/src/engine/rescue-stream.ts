import { initialBackoffState } from '../backoff/backoff';
import { AbortSource } from '../budget/abort-source';
import { startDeadline, type Deadline } from '../budget/deadline';
import { AttemptsExhaustedError } from '../errors/attempts-exhausted-error';
import { DetourError } from '../errors/detour-error';
import { StreamInterruptedError } from '../errors/stream-interrupted-error';
import type { CallerSignal } from '../ports/caller-signal';
import { isPromiseLike } from '../ports/maybe-promise';
import { continuationBody, endpointContinuation } from '../rescue/continuation';
import { createDeliveredAnswer } from '../rescue/delivered-answer';
import { createMessagesRelay } from '../rescue/messages-relay';
import { createRescueRelay, type RelayMode, type RescueRelay } from '../rescue/rescue-relay';
import { guardStream, type StreamSettlement } from '../streaming/guard-stream';
import type { PreparedRequest } from './prepare-request';
import { releaseHeld } from './release-held';
import type { RequestState } from './request-state';
import type { RouterContext } from './router-context';
import type { AttemptSuccess } from './run-attempt';
import { runAttemptLoop } from './send-request';
import type { Candidate } from './serving-endpoints';
import { settleStream, settleUnrescued } from './settle-stream';

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
  readonly iterator: AsyncIterableIterator<Uint8Array>;
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
 * The SSE error event that ends a stream no rescue could finish, in the API's own shape: SDKs raise it as an API
 * error with its message. On Messages its type is the one the caller would have seen without rescue: the original
 * cut's error event's (`overloaded_error` mid-stream), else `api_error`, Anthropic's type for a server-side failure.
 */
const errorEvent = (error: StreamInterruptedError, api: 'chat' | 'messages', cutType: string | undefined): Uint8Array =>
  encoder.encode(`event: error\ndata: ${JSON.stringify(
    api === 'messages'
      ? { type: 'error', error: { type: cutType ?? 'api_error', message: error.message } }
      : { error: { message: error.message, type: 'stream_interrupted', code: 'stream_interrupted' } },
  )}\n\n`);

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
export const createRescueStream = (context: RouterContext, state: RequestState, first: AttemptSuccess): AsyncIterableIterator<Uint8Array> => {
  const { options, clock, emit } = context;
  const api = rescueApi(state.prepared)!;
  const createRelay = api === 'messages' ? createMessagesRelay : createRescueRelay;
  const answer = createDeliveredAnswer();
  const firstByteMs = first.firstByteMs;
  const callerSignal = state.request.signal;
  // Aborts a rescue in progress when the caller leaves (return()); the caller's own abort is linked in. Made only
  // when a rescue starts: most streams end whole, and a signal per stream is garbage on the hot path.
  let leave: AbortSource | undefined;
  let leftWith: { reason: unknown } | undefined;
  const leaveWith = (reason: unknown) => {
    leftWith ??= { reason };
    leave?.abort(reason);
  };
  const leaveSignal = (): CallerSignal => {
    if (!leave) {
      leave = new AbortSource();
      if (leftWith) leave.abort(leftWith.reason);
    }
    return leave;
  };
  const onCallerAbort = () => leaveWith(callerSignal?.reason);
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  const deadlines: Deadline[] = [];
  let cut: StreamInterruptedError | undefined;
  // The type of the upstream error event that made the original cut, if one did (Messages: `overloaded_error`).
  let cutType: string | undefined;
  // Endpoints whose stream broke during this request, and when: each rescue tries them last, after their cooldown.
  const broken = new Map<string, number>();
  let rescueFrom: string | undefined;
  let rescueNeeded = false;
  let finished = false;
  let closed = false;
  let failure: unknown;
  let rescues = 0;
  let mode: RelayMode | undefined;
  let bytes = 0;

  const cleanUp = () => {
    callerSignal?.removeEventListener('abort', onCallerAbort);
    for (const deadline of deadlines.splice(0)) deadline.dispose();
  };

  /** The mode a target would take the answer on, or undefined when it cannot under the options. */
  const modeFor = (candidate: Candidate): 'continue' | 'replay' | undefined => {
    // A Messages answer is rescued only while it is all text (tool use and thinking blocks are not compared).
    if (!answer.textOnly) return undefined;
    const plain = answer.reasoning === '' && answer.toolCalls.length === 0;
    // Nothing delivered yet: any fresh answer is consistent with it.
    if (plain && answer.content === '') return 'replay';
    const dialect = endpointContinuation(candidate.endpoint);
    // The Messages API has one way to continue: Anthropic's prefill.
    if (plain && (api === 'messages' ? dialect === 'anthropic' : dialect !== 'none')) return 'continue';
    return options.rescue === 'continue-or-replay' ? 'replay' : undefined;
  };

  const mayRescue = (settlement: StreamSettlement): boolean =>
    settlement.outcome === 'interrupted' && (settlement.cause === 'upstream' || settlement.cause === 'stalled') &&
    !closed && callerSignal?.aborted !== true && answer.finishReason === undefined &&
    clock.now() < state.startedAt + options.deadlineMs && state.attempts.length < options.maxAttempts &&
    state.serving.some((candidate) => modeFor(candidate) !== undefined);

  const report = (outcome: 'rescued' | 'diverged' | 'failed', to: string | undefined, reason: string) => {
    const from = rescueFrom!;
    const at = clock.now();
    emit(() => ({ type: 'stream-rescue', from, to, mode: mode === 'pass' ? undefined : mode, outcome, reason, at }));
  };

  const open = (outcome: AttemptSuccess, candidate: Candidate, relay: RescueRelay, signal: CallerSignal): Segment => {
    const { head, iterator, watcher } = outcome.stream!;
    const segment: Segment = {
      candidate, relay, settlement: undefined,
      iterator: guardStream({
        endpoint: candidate.name, head, iterator, watcher, filter: relay, clock,
        idleTimeoutMs: options.streamIdleTimeoutMs, signal, callerSignal,
        cancel: (reason) => {
          outcome.abort(reason);
          outcome.response.cancel(reason);
        },
        onSettle: (settlement) => {
          segment.settlement = settlement;
          rescueNeeded = mayRescue(settlement);
          if (!rescueNeeded && rescues > 0) {
            if (settlement.outcome === 'complete') report('rescued', candidate.name, 'the rescued stream ended whole');
            else if (settlement.outcome === 'interrupted') report(settlement.cause === 'diverged' ? 'diverged' : 'failed', candidate.name, settlement.error?.reason ?? 'interrupted');
          }
          settleStream(context, state, candidate, outcome, settlement, !rescueNeeded, firstByteMs);
          if (!rescueNeeded) cleanUp();
        },
      }),
    };
    return segment;
  };

  let segment = open(first, state.chosen!, createRelay({ mode: 'pass', answer, stripUsage: state.prepared.stripUsage }), state.deadline.signal);

  /** Runs the routing loop for the rest of the answer; resolves with the next segment or throws why not. */
  const rescue = async (): Promise<Segment> => {
    rescues += 1;
    mode = undefined;
    const now = clock.now();
    const from = segment.candidate.name;
    broken.set(from, now);
    const deadline = startDeadline(clock, Math.max(1, state.startedAt + options.deadlineMs - now), leaveSignal());
    deadlines.push(deadline);
    const trims = new Map<string, string>();
    const rescueState: RequestState = {
      ...state,
      serving: state.serving.filter((candidate) => modeFor(candidate) !== undefined),
      deadline,
      tried: new Set(broken.keys()),
      // "Or the same one after its cooldown": an endpoint that broke this stream waits its turn behind every other.
      retryAt: new Map([...broken].map(([name, at]) => [name, at + options.cooldown.overloadedMs])),
      backoff: initialBackoffState, last: undefined, sameOnly: undefined, waited: false,
      chosen: undefined, admission: undefined, attemptStartedAt: 0,
      holdsProbe: false, holdsPending: false, heldStream: undefined, ended: false,
      rescuing: true,
      rewriteBody: (candidate) => {
        if (modeFor(candidate) !== 'continue') return undefined;
        const dialect = endpointContinuation(candidate.endpoint);
        if (dialect === 'none') return undefined;
        const built = continuationBody(state.prepared.json!, {
          prefix: answer.content, dialect, model: candidate.upstreamModel ?? state.model, deliveredTokens: answer.textChunks,
        });
        trims.set(candidate.name, built.trimmed);
        return built.body;
      },
    };
    try {
      // A rescue is a retry after a failure: it draws on the retry budget like one, so a fleet of cut streams
      // cannot multiply load on the endpoints left.
      const spent = context.store.spendRetry(now, options.retryBudget);
      if (!(isPromiseLike(spent) ? await spent : spent)) {
        throw new DetourError('rescue_refused', { message: 'no rescue attempt was allowed: the retry budget is spent' });
      }
      const served = await runAttemptLoop(context, rescueState);
      const candidate = rescueState.chosen!;
      // The served stream belongs to its segment's guard from here, which releases it however it ends.
      rescueState.holdsPending = false;
      rescueState.heldStream = undefined;
      if (options.streamDeadline === 'first-byte') deadline.disarm();
      mode = modeFor(candidate)!;
      const relay = createRelay({
        mode, answer, stripUsage: state.prepared.stripUsage, trimmed: trims.get(candidate.name) ?? '', prefixTokens: answer.textChunks,
      });
      return open(served.outcome, candidate, relay, deadline.signal);
    } catch (error) {
      const released = releaseHeld(context, rescueState);
      if (released) await released;
      throw error;
    }
  };

  /** What a failed rescue attempt loop says, in a few words for the caller's error. */
  const describe = (error: unknown, attemptsBefore: number): string => {
    if (error instanceof AttemptsExhaustedError) {
      const tried = state.attempts.slice(attemptsBefore).map((attempt) => `"${attempt.endpoint}" ${attempt.reason}`);
      return tried.length > 0 ? `no endpoint took the answer on (${tried.join('; ')})` : `no endpoint took the answer on (${error.reason})`;
    }
    return error instanceof Error ? error.message : String(error);
  };

  /**
   * Ends the caller's stream with Detour's error event now and the error on the next read: after a rescue that
   * could not finish the answer (`rescueNote` says what became of it), or a cut whose own error event was withheld.
   */
  const fail = (rescueNote: string | undefined, cause: unknown, reason = cut!.reason): IteratorResult<Uint8Array> => {
    const error = new StreamInterruptedError({ endpoint: cut!.endpoint, bytesDelivered: bytes, reason, cause, rescue: rescueNote, sentAsEvent: true });
    failure = error;
    const event = errorEvent(error, api, cutType);
    bytes += event.byteLength;
    return { done: false, value: event };
  };

  const iterator: AsyncIterableIterator<Uint8Array> = {
    async next() {
      for (;;) {
        if (failure !== undefined) {
          const error = failure;
          failure = undefined;
          finished = true;
          throw error;
        }
        if (finished) return { done: true, value: undefined };
        let error: unknown;
        try {
          const result = await segment.iterator.next();
          if (result.done) finished = true;
          else bytes += result.value.byteLength;
          return result;
        } catch (thrown) {
          error = thrown;
        }
        if (closed) throw error;
        if (rescueNeeded) {
          rescueNeeded = false;
          if (cut === undefined) {
            cut = error instanceof StreamInterruptedError ? error : new StreamInterruptedError({ endpoint: segment.candidate.name, bytesDelivered: bytes, reason: String(error) });
            cutType = upstreamErrorType(segment.relay.upstreamError);
          }
          rescueFrom ??= cut.endpoint;
          const attemptsBefore = state.attempts.length;
          try {
            segment = await rescue();
            continue;
          } catch (rescueError) {
            cleanUp();
            // The caller left during the rescue (return(), or its signal): nobody is there to tell.
            if (closed || callerSignal?.aborted) {
              finished = true;
              settleUnrescued(context, state, segment.candidate.name, 'client_closed', firstByteMs);
              if (closed) return { done: true, value: undefined };
              throw callerSignal!.reason;
            }
            const note = describe(rescueError, attemptsBefore);
            report('failed', undefined, note);
            settleUnrescued(context, state, segment.candidate.name, 'stream_interrupted', firstByteMs);
            return fail(note, rescueError);
          }
        }
        // The last segment ended badly and no rescue follows. After a rescue, or when the upstream's error event
        // was withheld, the caller gets Detour's error event first; otherwise the cut surfaces as it always has.
        const settlement = segment.settlement;
        if (rescues > 0 && settlement?.outcome === 'interrupted' && error instanceof StreamInterruptedError) {
          const checked = mode === 'continue' ? 'continuation' : 'replay';
          return fail(settlement.cause === 'diverged' ? `the ${checked} on "${segment.candidate.name}" ${error.reason}` : `the rescued stream from "${segment.candidate.name}" broke too (${error.reason})`, error);
        }
        if (segment.relay.upstreamError !== undefined && error instanceof StreamInterruptedError) {
          if (cut === undefined) {
            cut = error;
            cutType = upstreamErrorType(segment.relay.upstreamError);
          }
          const said = segment.relay.upstreamError;
          return fail(undefined, error, `${error.reason}: ${typeof said === 'string' ? said : JSON.stringify(said)}`);
        }
        throw error;
      }
    },
    async return(value?: unknown) {
      closed = true;
      finished = true;
      leaveWith(new Error('the caller stopped reading'));
      await segment.iterator.return?.(value);
      cleanUp();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
};
