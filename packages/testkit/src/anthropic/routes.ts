import type { RouteHandler } from '../openai/routes';
import { prepareCountTokens } from './count-tokens';
import { prepareMessage } from './messages';

/** Anthropic's endpoints, keyed by `METHOD path`; they answer errors in Anthropic's shape. */
export const anthropicRoutes: ReadonlyMap<string, RouteHandler> = new Map<string, RouteHandler>([
  ['POST /v1/messages', prepareMessage],
  ['POST /v1/messages/count_tokens', prepareCountTokens],
]);
