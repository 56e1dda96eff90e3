import type { RequestState } from './request-state';
import type { RouterContext } from './router-context';

/**
 * The one door every ending goes through — a JSON answer, a stream's end, a cut, an abort, the deadline, an
 * exception: it clears the deadline and emits the request's only `request-end`. Idempotent, and nothing else
 * emits `request-end`: a test counts them across every ending (`request-end.test.ts`).
 *
 * @param endpoint the endpoint that served (or last failed) the request, when any did
 * @param code undefined on success; else the error code, or `client_closed`, `client_idle`, `internal_error`
 * @param firstByteEndpoint the endpoint the first byte came from, when not `endpoint` (a rescued stream's first)
 */
export const settleRequest = (
  { clock, emit, inFlight }: RouterContext,
  state: RequestState,
  ok: boolean,
  endpoint: string | undefined,
  code: string | undefined,
  firstByteMs?: number,
  firstByteEndpoint = endpoint,
): void => {
  if (state.ended) return;
  state.ended = true;
  if (--inFlight.open === 0) for (const idle of inFlight.idle.splice(0)) idle();
  state.deadline.dispose();
  emit(() => ({
    type: 'request-end', ok, endpoint, attempts: state.attempts.length, durationMs: clock.now() - state.startedAt,
    firstByteMs, stream: state.prepared.stream, api: state.api, code, at: clock.now(), firstByteEndpoint: firstByteMs === undefined ? undefined : firstByteEndpoint,
  }));
};
