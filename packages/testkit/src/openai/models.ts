import type { PreparedReply, ReplyContext } from './prepared-reply';

/** Models listed by `GET /v1/models`; the upstream answers for any model name, these are only advertised. */
const MODEL_IDS = ['gpt-4o-mini', 'gpt-4o', 'gpt-3.5-turbo-instruct', 'text-embedding-3-small'];

/** Answers `GET /v1/models` with OpenAI's list shape. */
export function prepareModels(context: ReplyContext): PreparedReply {
  const data = MODEL_IDS.map((id) => ({ id, object: 'model', created: context.created, owned_by: 'detour-testkit' }));
  return { kind: 'json', body: JSON.stringify({ object: 'list', data }), tokens: 0 };
}
