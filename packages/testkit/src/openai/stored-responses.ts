import { jsonErrorReply } from '../faults/error-reply';
import { openaiErrorBody } from './error-body';
import type { PreparedReply, ReplyContext } from './prepared-reply';

const PREFIX = '/v1/responses/';

/** The id in `/v1/responses/{id}`, or undefined for any other path (including `/v1/responses/{id}/input_items`). */
export function storedResponseId(path: string): string | undefined {
  if (!path.startsWith(PREFIX)) return undefined;
  const id = path.slice(PREFIX.length);
  return id.length > 0 && !id.includes('/') ? id : undefined;
}

function notFound(id: string): PreparedReply {
  const body = openaiErrorBody(`Response with id '${id}' not found.`, 'invalid_request_error', null, 'response_id');
  return { kind: 'invalid', reply: jsonErrorReply(404, body), outcome: 'invalid-request', tokens: 0 };
}

/** Answers `GET /v1/responses/{id}` with a response this instance stored, or the API's 404. */
export function prepareRetrieveResponse(context: ReplyContext): PreparedReply {
  const id = storedResponseId(context.path) ?? '';
  const stored = context.responses.get(id);
  return stored === undefined ? notFound(id) : { kind: 'json', body: stored.json, tokens: 0 };
}

/** Answers `DELETE /v1/responses/{id}`; the response is forgotten only if the answer is delivered. */
export function prepareDeleteResponse(context: ReplyContext): PreparedReply {
  const id = storedResponseId(context.path) ?? '';
  if (context.responses.get(id) === undefined) return notFound(id);
  const body = JSON.stringify({ id, object: 'response', deleted: true });
  return { kind: 'json', body, tokens: 0, commit: () => context.responses.delete(id) };
}
