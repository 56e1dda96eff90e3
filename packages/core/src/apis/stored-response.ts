import type { ApiName } from './api-name';
import { maxResponseIdLength } from './response-pins';

/** A stored object a request continues or addresses, and the route that says whether an endpoint holds it. */
export interface StoredReference {
  /** The key its pin is kept under: `response:<id>` or `conversation:<id>`. */
  readonly key: string;
  readonly id: string;
  /** `GET` this path (below the API base) on an endpoint: 200 means its storage holds the object. */
  readonly lookupPath: string;
}

type Json = Readonly<Record<string, unknown>>;

const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const reference = (kind: 'response' | 'conversation', id: string): StoredReference => ({
  key: `${kind}:${id}`, id, lookupPath: `/${kind}s/${encodeURIComponent(id)}`,
});

const decodeSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

/**
 * The stored object a Responses request depends on, if any: the `{id}` of `/responses/{id}` (GET, DELETE) and of
 * its sub-paths (`/cancel`, `/input_items`), else the body's `previous_response_id`, else its `conversation` (a string
 * id or `{ id }`). A POST to `/responses/{name}` with no sub-path is an action, not a stored object (OpenAI's
 * `/responses/input_tokens`, `/responses/compact`): only its body can pin it. Undefined for any other request, which
 * may go to any storage. An id that is empty or too long ({@link isPinnableId}) is still returned: the router answers
 * it `response_not_found` without a lookup, so hostile input never triggers lookups. Never throws.
 */
export const storedReferenceOf = (
  api: ApiName | undefined,
  method: string,
  path: string,
  json: Json | undefined,
): StoredReference | undefined => {
  if (api !== 'responses') return undefined;
  const route = path.split('?', 1)[0] ?? '';
  const match = /^\/?responses\/([^/]*)(\/.*)?$/.exec(route);
  if (match && (method !== 'POST' || match[2] !== undefined)) return reference('response', decodeSegment(match[1] ?? '') ?? '');
  if (!json) return undefined;
  if (typeof json.previous_response_id === 'string') return reference('response', json.previous_response_id);
  const conversation = json.conversation;
  if (typeof conversation === 'string') return reference('conversation', conversation);
  if (isRecord(conversation) && typeof conversation.id === 'string') return reference('conversation', conversation.id);
  return undefined;
};

/** Is this id one the router may look up and pin? Ids from callers are hostile input. */
export const isPinnableId = (id: string): boolean => id.length > 0 && id.length <= maxResponseIdLength;

/**
 * The pins a served `/responses` answer teaches: its `id` (when the request did not say `store: false`) and the id
 * of the conversation it was added to. Reads a parsed Response object; anything else teaches nothing.
 */
export const pinsOfResponse = (answer: unknown, stored: boolean): string[] => {
  if (!isRecord(answer)) return [];
  const keys: string[] = [];
  if (stored && typeof answer.id === 'string' && isPinnableId(answer.id)) keys.push(`response:${answer.id}`);
  const conversation = answer.conversation;
  const conversationId = typeof conversation === 'string' ? conversation : isRecord(conversation) ? conversation.id : undefined;
  if (typeof conversationId === 'string' && isPinnableId(conversationId)) keys.push(`conversation:${conversationId}`);
  return keys;
};

const decoder = new TextDecoder();

/**
 * The Response object a stream's first events carry (`response.created`, `response.in_progress`: `{ response: {
 * id, conversation, … } }`), read from the chunks buffered before the stream committed. Undefined when the head
 * holds no such event. Never throws.
 */
export const responseOfStreamHead = (head: readonly Uint8Array[]): unknown => {
  const text = head.map((chunk) => decoder.decode(chunk, { stream: true })).join('');
  for (const line of text.split('\n')) {
    if (!line.startsWith('data:')) continue;
    try {
      const parsed: unknown = JSON.parse(line.slice(5));
      if (isRecord(parsed) && isRecord(parsed.response)) return parsed.response;
    } catch {
      // Not JSON, or an event split across chunks: the next line may do.
    }
  }
  return undefined;
};
