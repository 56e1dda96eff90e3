import type { Context } from 'hono';
import { apiNames, type ApiName } from '@detour/core';
import { GatewayError } from '../middleware/gateway-error';

/** What `GET /v1/models` lists: each public model name and the APIs it is served over. */
export interface ModelsRouteOptions {
  readonly modelApis: ReadonlyMap<string, readonly ApiName[]>;
  /** Reads a request header (the Node entry reads Node's request directly). */
  readonly header: (context: Context, name: string) => string | undefined;
}

// Anthropic pages its model list 20 at a time unless asked for up to 1,000.
const anthropicPage = { defaultLimit: 20, maxLimit: 1000 };
const epoch = '1970-01-01T00:00:00Z';

const isApiName = (value: string): value is ApiName => (apiNames as readonly string[]).includes(value);

/** The `?api=` filter: absent → `fallback`, unknown → a 400 naming the valid values. */
const apiFilter = (value: string | undefined, fallback: ApiName | undefined): ApiName | undefined => {
  if (value === undefined || value === '') return fallback;
  if (!isApiName(value)) throw new GatewayError('invalid_request', `Unknown api "${value.slice(0, 64)}"; expected one of ${apiNames.join(', ')}.`);
  return value;
};

/** One page of Anthropic's list, cut by `limit`, `after_id` and `before_id` as its API does. */
const anthropicList = (ids: readonly string[], query: (name: string) => string | undefined) => {
  const limit = Number(query('limit') ?? anthropicPage.defaultLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > anthropicPage.maxLimit) {
    throw new GatewayError('invalid_request', `limit must be an integer from 1 to ${anthropicPage.maxLimit}.`);
  }
  const after = query('after_id');
  const before = query('before_id');
  // `before_id` pages backwards: the `limit` entries just before it, `has_more` when there are earlier ones.
  const beforeIndex = before === undefined ? -1 : ids.indexOf(before);
  if (beforeIndex >= 0) return { page: ids.slice(Math.max(0, beforeIndex - limit), beforeIndex), hasMore: beforeIndex > limit };
  const rest = after === undefined ? ids : ids.slice(ids.indexOf(after) + 1);
  const page = rest.slice(0, limit);
  const hasMore = rest.length > limit;
  return { page, hasMore };
};

/**
 * `GET /v1/models`: the public model names endpoints list, each with the APIs that serve it (`apis`, a field
 * OpenAI's list does not have; clients ignore it). `?api=messages` (or `chat`, `responses`…) lists only the models
 * served over that API. A request carrying `anthropic-version` (Anthropic's SDK, Claude Code) gets Anthropic's list
 * shape, paged like Anthropic's (`limit`, `after_id`, `before_id`), and by default only the models served over
 * Messages, the one API such a client can call.
 */
export const modelsRoute = ({ modelApis, header }: ModelsRouteOptions): ((context: Context) => Promise<Response>) =>
  async function models(context) {
    const anthropic = header(context, 'anthropic-version') !== undefined;
    const api = apiFilter(context.req.query('api'), anthropic ? 'messages' : undefined);
    const ids = [...modelApis.keys()].filter((id) => api === undefined || modelApis.get(id)!.includes(api));
    if (!anthropic) {
      return context.json({ object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'detour', apis: modelApis.get(id) })) });
    }
    const { page, hasMore } = anthropicList(ids, (name) => context.req.query(name));
    return context.json({
      data: page.map((id) => ({ type: 'model', id, display_name: id, created_at: epoch, apis: modelApis.get(id) })),
      has_more: hasMore,
      first_id: page[0] ?? null,
      last_id: page.at(-1) ?? null,
    });
  };

/** `GET /v1/models/{id}`: one entry of {@link modelsRoute}'s list, in the same shape, or 404. */
export const modelRoute = ({ modelApis, header }: ModelsRouteOptions): ((context: Context) => Promise<Response>) =>
  async function model(context) {
    const id = context.req.param('id') ?? '';
    const apis = modelApis.get(id);
    if (!apis) throw new GatewayError('not_found', `The model "${id.slice(0, 256)}" is not listed by this gateway.`);
    if (header(context, 'anthropic-version') !== undefined) return context.json({ type: 'model', id, display_name: id, created_at: epoch, apis });
    return context.json({ id, object: 'model', created: 0, owned_by: 'detour', apis });
  };
