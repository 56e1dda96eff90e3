import { anthropicRoutes } from './anthropic/routes';
import type { ErrorDialect } from './faults/fault-action';
import type { RouteHandler } from './openai/routes';
import { routes } from './openai/routes';
import { prepareDeleteResponse, prepareRetrieveResponse, storedResponseId } from './openai/stored-responses';

/** An endpoint: how to build its healthy reply, and which API's error shapes it answers in. */
export interface Route {
  handler: RouteHandler;
  api: ErrorDialect;
}

const openaiRoute = (handler: RouteHandler): Route => ({ handler, api: 'openai' });
const exact: ReadonlyMap<string, Route> = new Map<string, Route>([
  ...[...routes].map(([key, handler]): [string, Route] => [key, openaiRoute(handler)]),
  ...[...anthropicRoutes].map(([key, handler]): [string, Route] => [key, { handler, api: 'anthropic' }]),
]);
const retrieve = openaiRoute(prepareRetrieveResponse);
const remove = openaiRoute(prepareDeleteResponse);

/** The route serving `METHOD path`: an exact match, or a stored response's `/v1/responses/{id}`. */
export function findRoute(method: string, path: string): Route | undefined {
  const route = exact.get(`${method} ${path}`);
  if (route !== undefined) return route;
  if (storedResponseId(path) === undefined) return undefined;
  if (method === 'GET') return retrieve;
  return method === 'DELETE' ? remove : undefined;
}

/** Which error shape a path answers in when it is not served at all or its body is broken. */
export function errorDialectOf(path: string): ErrorDialect {
  return path === '/v1/messages' || path.startsWith('/v1/messages/') ? 'anthropic' : 'openai';
}
