import { prepareChatCompletion } from './chat-completion';
import { prepareEmbeddings } from './embeddings';
import { prepareModels } from './models';
import type { PreparedReply, ReplyContext } from './prepared-reply';
import { prepareResponse } from './responses';
import { prepareTextCompletion } from './text-completion';

/** Builds the healthy reply for one endpoint. */
export type RouteHandler = (context: ReplyContext) => PreparedReply;

/** The endpoints the upstream serves in OpenAI's dialect, keyed by `METHOD path`. */
export const routes: ReadonlyMap<string, RouteHandler> = new Map<string, RouteHandler>([
  ['POST /v1/chat/completions', prepareChatCompletion],
  ['POST /v1/completions', prepareTextCompletion],
  ['POST /v1/embeddings', prepareEmbeddings],
  ['POST /v1/responses', prepareResponse],
  ['GET /v1/models', prepareModels],
]);
