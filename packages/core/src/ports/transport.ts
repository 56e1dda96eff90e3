import type { CallerSignal } from './caller-signal';
/** Response header values as transports hand them over: names in lower case, repeated fields as arrays. */
export type UpstreamHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** One attempt's request, fully resolved for one endpoint (URL, key and model name already applied). */
export interface TransportRequest {
  /** The name of the endpoint this attempt goes to. */
  readonly endpoint: string;
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The request body, buffered once so every attempt can replay it. The router always sends bytes (a caller's text
   * is encoded once), so a transport can hold them as they are; text stays allowed for transports called directly.
   */
  readonly body: string | Uint8Array | undefined;
  /**
   * Optional: false when the request must not be sent twice (a POST that creates a file or a batch, see
   * `isReplayable`). A transport that sends a request again on its own (the Node one, after a stale pooled
   * connection) then sends it once. Absent, the request may be sent again.
   */
  readonly replayable?: boolean;
}

/**
 * An upstream answer as core needs it: status, headers and a body that can be read or dropped. Kept smaller than a
 * Web `Response` on purpose: a Node gateway can pipe undici's body straight through without building Web objects.
 */
export interface TransportResponse {
  readonly status: number;
  readonly headers: UpstreamHeaders;
  /**
   * Optional: the transport vouches that every name in `headers` is lower case, as undici and Web `Headers` give
   * them. Core then reads the provider's signals by name at once; without it, it first checks each name's case
   * (about 3 thousand instructions an answer), so a record of any case is still read right.
   */
  readonly headersLowerCase?: boolean;
  readonly body: AsyncIterable<Uint8Array>;
  /** Stops reading and releases the connection; safe to call more than once. */
  cancel(reason?: unknown): void;
  /**
   * Optional: the body's chunks through a cheaper iterator than `body`'s own, which a stream's reader holds for the
   * stream's whole life (the Node transport's reads undici's stream by `read()`). Same contract as iterating
   * `body`: a failure or a close before the end rejects, `return()` releases the connection.
   */
  chunks?(): AsyncIterator<Uint8Array>;
}

/**
 * Sends one attempt. It must reject when `signal` aborts (before or during the response headers) and make the body
 * fail when it aborts later. It never retries a request the upstream may have read: the engine is the only retry
 * loop. (It may send again, within the attempt, one the upstream cannot have read: the Node transport does so for a
 * request written on a keep-alive connection the upstream had just closed.)
 */
export type Transport = (request: TransportRequest, signal: CallerSignal) => Promise<TransportResponse>;

/** How a runtime's network failure reads in core's terms. */
export interface TransportErrorDescription {
  readonly kind: 'timeout' | 'network' | 'unknown';
  /** The runtime's code, such as `ECONNRESET` or `UND_ERR_SOCKET`, when there is one. */
  readonly code?: string;
  /** What the code means, for people (the attempt's reason shows it after the code). */
  readonly hint?: string;
  /**
   * Asking the same endpoint again would fail the same way (its TLS certificate does not verify): the request is
   * not retried there, and still fails over to other endpoints.
   */
  readonly permanent?: boolean;
  /**
   * The failure is this process's own, not the endpoint's: it ran out of file descriptors, memory or local ports
   * before the request left, or its connection pool was closed under the request. The endpoint's breaker does not
   * count it (a gateway out of descriptors opened every healthy endpoint's breaker, and a fleet sharing them refused
   * callers too), and the request is not asked again there; another endpoint, perhaps over a pooled connection, may
   * still take it.
   */
  readonly local?: boolean;
  /**
   * The request never reached the endpoint: the connection was refused, the name did not resolve, the TLS handshake
   * or the egress proxy failed, the process had no descriptor or port for it. Such a failure is retried and failed
   * over even for a request that must not run twice (`PreparedRequest.replayable`); a reset or a timeout, which may
   * come after the endpoint read the request, is not.
   */
  readonly unsent?: boolean;
  /**
   * The binding's own connection pool was closed under the request (its router's close cut it, or the owner of a
   * transport closed it). After `Router.shutDown()` such a failure is the shutdown's: the attempt ends as `aborted`
   * and its request as `router_closed`, a stream as `shutdown`. Without a shutdown it is read as the rest of the
   * description says (`@detour/node` also marks it `local`: a request fails over, not counted against the breaker),
   * and a committed stream it cuts is its endpoint's interrupted stream, as any other cut.
   */
  readonly closed?: boolean;
}

/** Puts a runtime's transport error into core's terms. Bindings supply one for their network stack. */
export type DescribeTransportError = (error: unknown) => TransportErrorDescription;
