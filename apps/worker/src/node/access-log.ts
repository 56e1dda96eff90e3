import { AsyncLocalStorage } from 'node:async_hooks';
import type { Router } from '@detour/core';
import { systemClock } from '@detour/core/binding';
import type { Http2Bindings, HttpBindings } from '@hono/node-server';
import { nodeAnswered, type NodeRefusal, type WireEnding } from './client-error';
import { abortIfCallerLeft } from './connection-signal';
import type { NodeBindings } from './node-adapter';

/** One line of the access log. Names, figures and the path only: never a key, a header or a body. */
export interface AccessLogEntry {
  /** When the request arrived (ISO 8601). */
  time: string;
  /** Null on a request Node refused before it was read whole (its headers: malformed, too large, too slow). */
  method: string | null;
  /** The path, without its query string; null as `method`. */
  route: string | null;
  /**
   * The model of the last attempt: the one that answered (a fallback's, when `router.fallbacks` moved the request to
   * it) or was last tried; null when the request was refused before routing.
   */
  model: string | null;
  /** The endpoint that served the answer, or null when none did. */
  endpoint: string | null;
  attempts: number;
  /**
   * The answer's status; 499 when the caller left before any answer went out, 408 when its request never arrived
   * whole (Node answers 408 itself when `requestTimeoutMs` runs out), 444 when the gateway's shutdown closed the
   * connection before the answer was finished (`shutdownGraceMs` ran out; nginx logs a connection it closed so).
   */
  status: number;
  /** Until the last byte of the answer was written (streams included), in milliseconds. */
  durationMs: number;
  /** USD of every priced attempt of the request, failed billed ones included; null when nothing was priced. */
  costUsd: number | null;
  /**
   * Why the request failed, as a stable code; null when it did not (a `/healthz` 503 reports a state: null). The
   * `x-detour-error` of the gateway's answer (its own refusals, such as `unauthorized` or `invalid_json`, and the
   * router's, such as `no_endpoint_available`, `deadline_exceeded`, or `attempts_exhausted` on a relayed upstream
   * error); for an answer that broke after it began, the code its request ended with (`stream_interrupted`,
   * `client_idle`); `client_closed` when the caller left before its answer was whole (499 before any answer; Node's
   * 400 for a body the caller's close cut short; a stream it hung up on); `router_closed` when the shutdown cut it
   * (444); and for a request Node refused or answered in the gateway's place, the reason
   * `detour_rejected_requests_total` counts (`malformed_request`, `headers_too_large`, `request_incomplete`,
   * `request_too_large`).
   */
  error: string | null;
}

/** What the log knows of a request in flight: its entry, and what its router and its answer said of how it ended. */
interface Logged {
  entry: AccessLogEntry;
  /** Whether its request-end was heard in its context. */
  ended: boolean;
  /** The code its request ended with (heard in its context), undefined on success. */
  code: string | undefined;
  /** The `x-detour-error` of the answer the app returned, if it sent one. */
  answerError: string | null;
}

/** The entry's `error`, from its status and what was heard (see {@link AccessLogEntry.error}); `broken`: the answer was never finished. */
const errorOf = (status: number, logged: Logged, refusal: WireEnding | undefined, broken: boolean): string | null => {
  if (status === 444) return 'router_closed';
  // As core's request-end says of a stream the caller cancelled (of a JSON request, `aborted`): one code for both.
  if (status === 499) return 'client_closed';
  if (refusal) return refusal.reason;
  if (logged.answerError) return logged.answerError;
  if (status === 408) return 'request_incomplete';
  if (logged.code === 'aborted' || (broken && logged.code === undefined)) return 'client_closed';
  return logged.code ?? null;
};

type Fetch = (request: Request, env: HttpBindings | Http2Bindings) => Response | Promise<Response>;

/** The access log's handle: wrap the app's fetch with it, dispose it when the gateway closes. */
export interface AccessLog {
  wrap(fetch: Fetch): Fetch;
  /** Logs a request Node refused before the gateway saw it (see `answerClientError`). */
  refused(refusal: NodeRefusal): void;
  dispose(): void;
}

/**
 * An access log for the Node gateway, off unless asked for: one JSON line per request, written when the response
 * ends. Router events carry no request id, so each request runs in its own async context and the events it
 * causes (emitted synchronously inside it) find their entry there. `cut` says whether the gateway's shutdown has
 * closed its connections (its grace ran out): a request still unanswered then was cut by it, whose request-end may
 * come only after its connection's close.
 */
export const createAccessLog = (router: Router, write: (line: string) => void, cut: () => boolean = () => false, now: () => number = systemClock.now): AccessLog => {
  // Each request's entry, whether its request-end was heard in its context, and the code that ended it (if it failed).
  const storage = new AsyncLocalStorage<Logged>();
  const subscription = router.subscribe((event) => {
    const logged = storage.getStore();
    if (!logged) return;
    const { entry } = logged;
    if (event.type === 'attempt-start') {
      // The last attempt's: the model that answered, a fallback's when the request moved to one (`fallbacks`).
      entry.model = event.model ?? entry.model;
      // Counted as they start: a caller who leaves mid-attempt is logged before its request-end comes.
      entry.attempts += 1;
    } else if (event.type === 'cost-record' && event.costUsd !== undefined) entry.costUsd = (entry.costUsd ?? 0) + event.costUsd;
    else if (event.type === 'request-end') {
      logged.ended = true;
      logged.code = event.code;
      entry.attempts = event.attempts;
      // An answer that began (a stream that then broke) was served by its endpoint too.
      entry.endpoint = event.ok || event.firstByteMs !== undefined ? (event.endpoint ?? null) : null;
    }
  });
  return {
    wrap: (fetch) =>
      function accessLogged(request, env) {
        const startedAt = now();
        const url = request.url;
        const pathStart = url.indexOf('/', url.indexOf('//') + 2);
        const queryStart = url.indexOf('?', pathStart);
        const entry: AccessLogEntry = {
          time: new Date(startedAt).toISOString(),
          method: request.method,
          route: pathStart < 0 ? '/' : url.slice(pathStart, queryStart < 0 ? undefined : queryStart),
          model: null,
          endpoint: null,
          attempts: 0,
          status: 0,
          durationMs: 0,
          costUsd: null,
          error: null,
        };
        const logged: Logged = { entry, ended: false, code: undefined, answerError: null };
        env.outgoing.once('close', () => {
          const { outgoing, incoming, answered, callerSignal } = env as NodeBindings;
          const refusal = nodeAnswered(outgoing);
          // A caller who leaves mid-stream abandons it: its guard settles it (cost, request-end) on the abort. Done
          // here, in this request's context, the log hears both; the connection's own listener comes after.
          if (callerSignal) storage.run(logged, () => abortIfCallerLeft(outgoing, callerSignal, cut()));
          entry.status = outgoing.statusCode;
          entry.durationMs = now() - startedAt;
          // A caller who hangs up on a stream closes its response before the router settles the request, and that
          // request-end comes from the socket's close, outside this request's context: the answer the adapter
          // sent says who served it and after how many attempts.
          if (answered && !logged.ended) {
            entry.endpoint = answered.endpoint;
            entry.attempts = answered.attempts.length;
          }
          // No answer of the gateway's went out: the caller left before it (499, as nginx logs it), or its request
          // never arrived whole (408: Node answered so when `requestTimeoutMs` ran out).
          if (!outgoing.headersSent) entry.status = refusal?.status ?? (incoming.complete ? 499 : 408);
          // Cut by the shutdown: neither the caller's leaving (499) nor an answer it got (a stream's 200 cut short, or
          // the 503 of a request the shutdown woke from a wait, written onto the connection it had just closed).
          if (cut() && (!outgoing.writableFinished || logged.code === 'router_closed')) entry.status = 444;
          entry.error = errorOf(entry.status, logged, refusal, !outgoing.writableFinished);
          write(`${JSON.stringify(entry)}\n`);
        });
        const answer = storage.run(logged, () => fetch(request, env));
        // The gateway's own error answers (and the router's) name their code in `x-detour-error`; a routed answer
        // went out through the adapter, which sends none.
        const heard = (response: Response) => {
          logged.answerError = response.headers.get('x-detour-error');
          return response;
        };
        return answer instanceof Response ? heard(answer) : answer.then(heard);
      },
    refused: ({ status, reason }) => {
      const entry: AccessLogEntry = {
        time: new Date(now()).toISOString(), method: null, route: null, model: null, endpoint: null, attempts: 0, status, durationMs: 0, costUsd: null,
        error: reason,
      };
      write(`${JSON.stringify(entry)}\n`);
    },
    dispose: () => subscription.dispose(),
  };
};
