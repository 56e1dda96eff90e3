import { anthropicErrorReply } from '../anthropic/error-body';
import type { ErrorReply } from '../faults/error-reply';
import { jsonErrorReply } from '../faults/error-reply';
import { openaiErrorBody } from '../openai/error-body';
import type { PrefillVerdict } from './prefill';

const UNSUPPORTED = 'This model does not support assistant message prefill. The conversation must end with a user message.';

/**
 * The 400 for a prefill the dialect refuses: Anthropic's shape on Messages, Mistral's own body for its wrong last
 * role, OpenAI's shape otherwise.
 */
export function prefillRejection(reason: Extract<PrefillVerdict, { kind: 'reject' }>['reason'], api: 'openai' | 'anthropic', requestId: string): ErrorReply {
  if (reason === 'trailing-whitespace') {
    const message = 'messages: final assistant content cannot end with trailing whitespace';
    return api === 'anthropic' ? anthropicErrorReply(400, message, requestId) : jsonErrorReply(400, openaiErrorBody(message, 'invalid_request_error', null, 'messages'));
  }
  if (reason === 'wrong-role') {
    const body = {
      object: 'error',
      message: 'Expected last role User or Tool (or Assistant with prefix True) for serving but got assistant',
      type: 'invalid_request_message_order',
      param: null,
      code: '3230',
    };
    return jsonErrorReply(400, JSON.stringify(body));
  }
  return api === 'anthropic' ? anthropicErrorReply(400, UNSUPPORTED, requestId) : jsonErrorReply(400, openaiErrorBody(UNSUPPORTED, 'invalid_request_error', null, 'messages'));
}
