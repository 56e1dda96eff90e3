import { jsonErrorReply } from '../faults/error-reply';
import { openaiErrorBody } from './error-body';
import type { PreparedReply, ReplyContext } from './prepared-reply';
import { wantsStream } from './prepared-reply';
import { piecesWithin } from './reply-words';
import type { ResponseFacts } from './response-object';
import { finalStatus, responseObject } from './response-object';
import { responsesStream } from './responses-stream';

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The real API's error for continuing a response it does not hold (never stored, deleted, or expired). */
function previousNotFound(id: string): PreparedReply {
  const body = openaiErrorBody(`Previous response with id '${id}' not found.`, 'invalid_request_error', 'previous_response_not_found', 'previous_response_id');
  return { kind: 'invalid', reply: jsonErrorReply(400, body), outcome: 'invalid-request', tokens: 0 };
}

/**
 * Answers `POST /v1/responses`: a `response` object with one assistant message, or its event stream when
 * `stream: true`. `input` may be a string or a list of messages, `instructions` counts as input and is echoed,
 * `max_output_tokens` cuts the reply (status `incomplete`), and `previous_response_id` must name a response this
 * instance stored (its whole conversation is billed as input again, as the API does). With `store` (the default)
 * the finished response is kept for retrieval once it has been delivered.
 */
export function prepareResponse(context: ReplyContext): PreparedReply {
  const previousResponseId = stringOrNull(context.body.previous_response_id);
  let earlierTokens = 0;
  if (previousResponseId !== null) {
    const previous = context.responses.get(previousResponseId);
    if (previous === undefined) return previousNotFound(previousResponseId);
    earlierTokens = previous.conversationTokens;
  }
  const maxOutputTokens = typeof context.body.max_output_tokens === 'number' ? context.body.max_output_tokens : null;
  const { pieces, truncated } = piecesWithin(context.pieces, maxOutputTokens);
  const facts: ResponseFacts = {
    id: `resp_${context.id}`,
    itemId: `msg_${context.id}`,
    createdAt: context.created,
    model: context.model,
    instructions: stringOrNull(context.body.instructions),
    maxOutputTokens,
    previousResponseId,
    store: context.body.store !== false,
    text: pieces.join(''),
    truncated,
    inputTokens: context.promptTokens + earlierTokens,
    outputTokens: pieces.length,
  };
  const tokens = facts.inputTokens + facts.outputTokens;
  const finalJson = JSON.stringify(responseObject(facts, finalStatus(facts)));
  const commit = facts.store ? (): void => context.responses.put(facts.id, { json: finalJson, conversationTokens: tokens }) : undefined;
  if (wantsStream(context.body)) return responsesStream(facts, pieces, tokens, commit);
  return { kind: 'json', body: finalJson, tokens, commit };
}
