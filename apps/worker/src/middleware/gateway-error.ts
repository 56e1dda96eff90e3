import { DetourError } from '@detour/core';

/** Errors the gateway raises itself, before a request reaches the router. */
export type GatewayErrorCode =
  | 'unauthorized' | 'request_too_large' | 'request_incomplete' | 'unsupported_encoding' | 'invalid_json' | 'json_too_deep' | 'invalid_request' | 'not_found'
  | 'gateway_overloaded';

const statusOf: Record<GatewayErrorCode, number> = {
  unauthorized: 401,
  request_too_large: 413,
  // The body stopped arriving: the caller left, or took longer than `requestTimeoutMs` (Node has answered 408).
  request_incomplete: 408,
  // A compressed body (`Content-Encoding: gzip`) is not read: no provider's API takes one either.
  unsupported_encoding: 415,
  invalid_json: 400,
  json_too_deep: 400,
  invalid_request: 400,
  not_found: 404,
  // The bodies of the requests in flight fill `maxBodyBytesInFlight`: this one may go through in a moment.
  gateway_overloaded: 503,
};

/** A refusal with a stable code and the HTTP status it answers with. Middleware throws it; `onError` renders it. */
export class GatewayError extends DetourError {
  readonly status: number;

  constructor(code: GatewayErrorCode, message: string) {
    super(code, { message });
    this.name = 'GatewayError';
    this.status = statusOf[code];
  }
}
