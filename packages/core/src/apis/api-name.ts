/**
 * The HTTP APIs Detour routes by name. `chat`: `/chat/completions`; `completions`: the legacy `/completions`;
 * `embeddings`: `/embeddings`; `responses`: OpenAI's Responses API (`/responses`, `/responses/{id}…`);
 * `messages`: Anthropic's Messages API (`/messages`, `/messages/count_tokens`, `/messages/batches…`).
 */
export const apiNames = ['chat', 'completions', 'embeddings', 'responses', 'messages'] as const;

/** One of {@link apiNames}. */
export type ApiName = (typeof apiNames)[number];

// Anchored on the route's first segments; the query is cut off before matching. `/responses/{id}` and its
// sub-paths (`/input_items`, `/cancel`) belong to the Responses API, `/messages/…` to Anthropic's.
const routes: readonly (readonly [RegExp, ApiName])[] = [
  [/^\/chat\/completions\/?$/, 'chat'],
  [/^\/completions\/?$/, 'completions'],
  [/^\/embeddings\/?$/, 'embeddings'],
  [/^\/responses(\/.*)?$/, 'responses'],
  [/^\/messages(\/.*)?$/, 'messages'],
];

/**
 * The API a route path belongs to, or undefined for any other route (`/models`, `/audio/speech`…), which is routed
 * to the endpoints of its caller's dialect (see docs/apis.md). The path is the part below the API base
 * (`/chat/completions`, as `routePathFromUrl` gives it); its query is ignored.
 *
 * @example
 * apiOfPath('/responses/resp_123/input_items?limit=5'); // 'responses'
 * apiOfPath('/messages/count_tokens'); // 'messages'
 * apiOfPath('/models'); // undefined
 */
export const apiOfPath = (path: string): ApiName | undefined => {
  const query = path.indexOf('?');
  let route = query >= 0 ? path.slice(0, query) : path;
  if (!route.startsWith('/')) route = `/${route}`;
  for (const [pattern, api] of routes) if (pattern.test(route)) return api;
  return undefined;
};

// Each API's own route, where tokens are generated (and billed); not its sub-routes (`/messages/count_tokens`,
// `/responses/input_tokens`, stored responses, batches), which are free or billed apart.
const generationRoute = /^\/?(chat\/completions|completions|embeddings|responses|messages)\/?(\?|$)/;

/**
 * Whether a route path generates tokens: an API's own route (`/chat/completions`, `/messages`...), not one of its
 * sub-routes (`/messages/count_tokens`). An answer there without usage is estimated; elsewhere it is not priced.
 */
export const isGenerationRoute = (path: string): boolean => generationRoute.test(path);

/**
 * The routes of no API (`/models`, `/files`, `/audio/speech`, `/batches`…) in one dialect: OpenAI's, or Anthropic's
 * (whose SDK sends `anthropic-version` on every request).
 */
export type OtherRoutes = 'openai-routes' | 'anthropic-routes';

/**
 * The dialect of a request to a route of no API, from its (lower-case) headers: Anthropic's when it carries
 * `anthropic-version`, else OpenAI's. Sent to the endpoints of another dialect, `GET /models` listed the other
 * provider's models, `GET /files` the other account's files, and `/audio/speech` sent its text to Anthropic.
 *
 * @example
 * otherRoutesOf({ 'anthropic-version': '2023-06-01' }); // 'anthropic-routes'
 * otherRoutesOf({}); // 'openai-routes'
 */
export const otherRoutesOf = (headers: Readonly<Record<string, string>>): OtherRoutes =>
  headers['anthropic-version'] !== undefined ? 'anthropic-routes' : 'openai-routes';
