import type { ErrorReply } from '../faults/error-reply';
import type { PreparedReply, ReplyContext } from '../openai/prepared-reply';
import { anthropicErrorReply } from './error-body';

const invalid = (reply: ErrorReply): PreparedReply => ({ kind: 'invalid', reply, outcome: 'invalid-request', tokens: 0 });

/**
 * What the Messages API checks before anything else, in its order and wording: a key (`x-api-key`, or
 * `Authorization: Bearer` as the newer SDKs send it), the `anthropic-version` header, then the required fields.
 * Nothing of the key is ever echoed.
 *
 * @param requiredFields body fields that must be present (`max_tokens` is required by `/v1/messages` only)
 */
export function checkMessagesRequest(context: ReplyContext, requiredFields: readonly string[]): PreparedReply | undefined {
  const { headers, requestId } = context;
  const bearer = /^Bearer\s+\S/i.test(headers.authorization ?? '');
  if (!headers['x-api-key'] && !bearer) {
    return invalid(anthropicErrorReply(401, 'x-api-key header is required', requestId));
  }
  if (!headers['anthropic-version']) {
    return invalid(anthropicErrorReply(400, 'anthropic-version: header is required', requestId));
  }
  for (const field of requiredFields) {
    if (context.body[field] === undefined) return invalid(anthropicErrorReply(400, `${field}: Field required`, requestId));
  }
  return undefined;
}
