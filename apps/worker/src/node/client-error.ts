import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** A request Node refused before the gateway saw it: its status and the reason `detour_rejected_requests_total` counts. */
export interface NodeRefusal {
  readonly status: 400 | 408 | 413 | 431;
  readonly reason: 'malformed_request' | 'request_incomplete' | 'request_too_large' | 'headers_too_large';
}

// Node's own answers (`lib/_http_server.js`), which a `clientError` listener replaces: the same bytes go out.
const refusals: Readonly<Record<string, NodeRefusal & { readonly answer: string }>> = {
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'headers_too_large', answer: 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n' },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { status: 413, reason: 'request_too_large', answer: 'HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'request_incomplete', answer: 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n' },
};
const malformed: NodeRefusal & { readonly answer: string } = { status: 400, reason: 'malformed_request', answer: 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n' };

/**
 * A `clientError` listener that does what Node does without one (answers 400, 408, 413 or 431 when it still can,
 * then closes the connection) and reports each refusal of a request the gateway never saw: headers that never
 * arrived whole (once a byte of them came), too large, or not HTTP. Without it, a load balancer counted those answers
 * and the gateway's log and metrics knew nothing of them. A refusal of a request the gateway is already answering
 * (its body timed out, or broke) is the gateway's own to report, with Node's status (`nodeAnswered`), and a
 * connection that failed (a reset) refused nothing.
 */
export const answerClientError =
  (report: (refusal: NodeRefusal) => void) =>
  (error: NodeJS.ErrnoException, socket: Socket): void => {
    // Node's rule: answer unless a response of this connection has begun, or the socket cannot be written.
    const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      const refusal = refusals[error.code ?? ''] ?? malformed;
      socket.write(refusal.answer);
      // The gateway's access log reports a request it is answering: with what went on the wire (a body's broken
      // chunk is a 400, not the 408 of a body that never came).
      // A body cut short by the caller's own close (its end of the connection came mid-body) is the caller's leaving:
      // the status is still what went on the wire (a caller that only shut its sending side reads the 400).
      const reason = error.code === 'HPE_INVALID_EOF_STATE' ? 'client_closed' : refusal.reason;
      if (inFlight) wireRefusals.set(inFlight, { status: refusal.status, reason });
      // A connection that never sent a byte (a browser's or a pool's preconnect) timed out, and refused nothing.
      else if (socket.bytesRead > 0) report({ status: refusal.status, reason: refusal.reason });
    }
    socket.destroy(error);
  };

/** How a request the gateway was answering ended at Node's parser: Node's refusal, or the caller's close mid-body. */
export interface WireEnding {
  readonly status: number;
  readonly reason: NodeRefusal['reason'] | 'client_closed';
}

const wireRefusals = new WeakMap<ServerResponse, WireEnding>();

/** How Node ended a request in the gateway's place (see `answerClientError`), if it did. */
export const nodeAnswered = (response: ServerResponse): WireEnding | undefined => wireRefusals.get(response);
