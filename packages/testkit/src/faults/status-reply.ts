import { openaiErrorBody } from '../openai/error-body';
import type { ErrorReply } from './error-reply';
import { jsonErrorReply } from './error-reply';

/** The bodies providers really send for these statuses; other statuses get a generic error of the right class. */
const DEFAULT_BODIES: Record<number, string> = {
  500: openaiErrorBody('The server had an error while processing your request. Sorry about that!', 'server_error'),
  502: openaiErrorBody('Bad gateway.', 'server_error', 'bad_gateway'),
  503: openaiErrorBody('The server is overloaded or not ready yet.', 'server_error', 'server_is_overloaded'),
  504: openaiErrorBody('Gateway timeout.', 'server_error', 'gateway_timeout'),
  // 529 is Anthropic's own status, so its body is Anthropic's shape.
  529: JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
};

function genericBody(status: number): string {
  const type = status >= 500 ? 'server_error' : 'invalid_request_error';
  return openaiErrorBody(`The upstream answered with status ${status}.`, type);
}

/**
 * The reply of a `status` fault: the given status with the given body (a string is sent as is, anything else as
 * JSON) and headers, or the provider's usual body for that status.
 */
export function statusReply(status: number, body?: unknown, headers?: Record<string, string>): ErrorReply {
  let text: string;
  if (body === undefined) text = DEFAULT_BODIES[status] ?? genericBody(status);
  else text = typeof body === 'string' ? body : JSON.stringify(body);
  return jsonErrorReply(status, text, headers);
}
