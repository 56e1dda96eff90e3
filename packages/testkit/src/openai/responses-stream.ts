import type { PreparedReply, StreamErrorVariant } from './prepared-reply';
import { namedSseEvent, SSE_KEEP_ALIVE } from './prepared-reply';
import type { ResponseFacts } from './response-object';
import { finalStatus, outputMessage, outputTextPart, responseObject } from './response-object';

const SERVER_ERROR_MESSAGE = 'The server had an error while processing your request. Sorry about that!';

/** Serialises one event; every Responses event repeats its name as `type` and carries its `sequence_number`. */
function event(type: string, sequenceNumber: number, fields: Record<string, unknown>): string {
  return namedSseEvent(type, JSON.stringify({ type, sequence_number: sequenceNumber, ...fields }));
}

/**
 * The mid-stream failures of the Responses API. `error` is the documented shape (`code`, `message` and `param` at
 * the top); `error-nested` is what has been seen on the wire instead (an `error` object inside, openai/openai-dotnet
 * issue 881); `response.failed` is the lifecycle event with a failed response.
 */
function errorEvent(facts: ResponseFacts, sent: number, variant: StreamErrorVariant): string {
  if (variant === 'response.failed') {
    const response = responseObject(facts, 'failed', { code: 'server_error', message: SERVER_ERROR_MESSAGE });
    return event('response.failed', sent, { response });
  }
  if (variant === 'error-nested') {
    return event('error', sent, { error: { type: 'server_error', code: 'server_error', message: SERVER_ERROR_MESSAGE, param: null } });
  }
  return event('error', sent, { code: 'server_error', message: SERVER_ERROR_MESSAGE, param: null });
}

/**
 * The events of a streamed response in the API's grammar: `response.created`, `response.in_progress`,
 * `response.output_item.added`, `response.content_part.added`, one `response.output_text.delta` per word,
 * `response.output_text.done`, `response.content_part.done`, `response.output_item.done`, then
 * `response.completed` (or `response.incomplete`) with the whole response and its usage. No `data: [DONE]`.
 */
export function responsesStream(facts: ResponseFacts, pieces: readonly string[], tokens: number, commit: (() => void) | undefined): PreparedReply {
  const place = { item_id: facts.itemId, output_index: 0, content_index: 0 };
  const inProgress = responseObject(facts, 'in_progress');
  const events = [
    event('response.created', 0, { response: inProgress }),
    event('response.in_progress', 1, { response: inProgress }),
    event('response.output_item.added', 2, { output_index: 0, item: outputMessage(facts, 'in_progress', []) }),
    event('response.content_part.added', 3, { ...place, part: outputTextPart('') }),
  ];
  for (const piece of pieces) events.push(event('response.output_text.delta', events.length, { ...place, delta: piece, logprobs: [] }));
  const status = finalStatus(facts);
  const part = outputTextPart(facts.text);
  events.push(event('response.output_text.done', events.length, { ...place, text: facts.text, logprobs: [] }));
  events.push(event('response.content_part.done', events.length, { ...place, part }));
  events.push(event('response.output_item.done', events.length, { output_index: 0, item: outputMessage(facts, status, [part]) }));
  events.push(event(`response.${status}`, events.length, { response: responseObject(facts, status) }));
  // A delta whose JSON stops mid-string, then the terminal event, as a truncating proxy would pass them on.
  const malformed =
    `event: response.output_text.delta\ndata: {"type":"response.output_text.delta","sequence_number":4,"item_id":"${facts.itemId}","delta":"\n\n` +
    (events.at(-1) ?? '');
  return {
    kind: 'stream',
    events,
    tokens,
    ...(commit === undefined ? {} : { commit }),
    malformed,
    contentStart: 4,
    contentCount: pieces.length,
    keepAlive: SSE_KEEP_ALIVE,
    errorEvent: (sent, variant) => errorEvent(facts, sent, variant),
  };
}
