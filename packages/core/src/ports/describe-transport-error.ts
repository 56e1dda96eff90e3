import type { DescribeTransportError, TransportErrorDescription } from './transport';

const networkCodes = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT', 'UND_ERR_DESTROYED', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'ERR_STREAM_PREMATURE_CLOSE',
]);
const timeoutCodes = new Set([
  'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);

// The codes of a failure before the request left: no connection was made to send it on.
const unsentCodes = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT',
]);

/** Walks `cause` chains: undici and fetch wrap the socket's code one or two levels down. */
const codesOf = (error: unknown): string[] => {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const { code, name } = current as { code?: unknown; name?: unknown };
    if (typeof code === 'string') codes.push(code);
    if (typeof name === 'string') codes.push(name);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
};

/**
 * A runtime-neutral reading of transport errors by their codes and names, used when a binding supplies none.
 * Anything unrecognised is `network`: the request may not have reached the provider, so failing over is safe for
 * a request that may run twice. Only a failure to connect is `unsent` (see {@link TransportErrorDescription}).
 */
export const describeTransportError: DescribeTransportError = (error) => {
  for (const code of codesOf(error)) {
    const kind = timeoutCodes.has(code) || code === 'TimeoutError' ? 'timeout' : networkCodes.has(code) ? 'network' : undefined;
    if (kind !== undefined) return unsentCodes.has(code) ? { kind, code, unsent: true } : { kind, code };
  }
  return { kind: 'network' };
};
