// Methods HTTP defines as idempotent (RFC 9110 §9.2.2): sent twice, they leave the server as sent once.
const idempotentMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

// The POST routes that generate an answer and keep nothing: asked twice, the provider answers twice (and bills twice,
// the price of failing over), but makes nothing the caller would find twice. Chat, completions (Mistral's
// fill-in-the-middle and Anthropic's legacy `/complete` too), embeddings (TEI's `/embed`) and moderations; a response
// (`/responses`, stored or not), its token count or compaction, and its cancel (cancelled twice, it stays
// cancelled); Anthropic's message and its token count; speech, transcription and translation; images generated,
// edited or varied; the scoring routes of inference servers (vLLM, TEI, Cohere, Together: `/rerank`, `/score`,
// `/classify`, `/pooling`, `/tokenize`, `/detokenize`); and Gemini's own `models/{model}:generateContent` and kin.
// Everything else a POST or PATCH can reach creates or changes something: a file, an upload, a batch, a fine-tuning
// job, a vector store, an assistant, a thread, its messages or its run, a message batch, a conversation, a video.
//
// Matched after the prefixes a base URL may leave in the path (`routePathFromUrl` strips up to `/v1/` only): Azure's
// `/openai/deployments/{name}`, Gemini's `/v1beta/openai`, a version (`/v2/rerank`), Vertex AI's
// `/projects/{p}/locations/{l}/endpoints/openapi` and `…/publishers/{publisher}`, Cloudflare AI Gateway's
// `/{account}/{gateway}/{provider}`. Not by the path's end, which would take `/threads/{id}/messages`, a creation, for
// Anthropic's `/messages`. Ollama's own routes (`/api/chat`…) and Bedrock's (`/model/{id}/converse`…) generate too.
const prefix = String.raw`(?:\/openai\/deployments\/[^/?]+|\/v\d+(?:alpha|beta)?\d*(?:\/openai)?|\/openai|\/projects\/[^/?]+\/locations\/[^/?]+(?:\/endpoints\/openapi|\/publishers\/[^/?]+)|\/[^/?]+\/[^/?]+\/(?:openai|compat|azure-openai\/[^/?]+\/[^/?]+|workers-ai(?:\/v1)?|groq|mistral|deepseek|openrouter|cerebras|grok|perplexity-ai|google-ai-studio\/v1beta(?:\/openai)?))?`;
const generationRoutes = new RegExp(
  `^${prefix}\\/(?:chat\\/completions|completions|fim\\/completions|complete|embeddings|embed|moderations|responses(?:\\/input_tokens|\\/compact|\\/[^/?]+\\/cancel)?|messages(?:\\/count_tokens)?|audio\\/(?:speech|transcriptions|translations)|images\\/(?:generations|edits|variations)|rerank|score|classify|pooling|tokenize|detokenize|api\\/(?:chat|generate|embed|embeddings)|model\\/[^/?]+\\/(?:converse|converse-stream|invoke|invoke-with-response-stream)|models\\/[^/?]+:(?:generateContent|streamGenerateContent|embedContent|batchEmbedContents|countTokens|rawPredict|streamRawPredict|predict))\\/?(?:\\?|$)`,
);

// The routes of a generation that is free: a token count, a tokenizer, a moderation, a cancel. Matched on the path
// without its query, which is the caller's to fill.
const freeRoute = /(?:\/count_tokens|\/input_tokens|:countTokens|\/tokenize|\/detokenize|\/moderations|\/cancel)\/?$/;

/**
 * Whether a request's route is one a provider bills (a generation route of `isReplayable`'s, less the free ones: token
 * counts, tokenizers, moderations, cancels): what a spent balance is refused, and the only routes whose answer shows
 * the key and the balance are good.
 */
export const isPaidRoute = (path: string): boolean => {
  const route = path.startsWith('/') ? path.replace(/^\/{2,}/, '/') : `/${path}`;
  const query = route.indexOf('?');
  return generationRoutes.test(route) && !freeRoute.test(query === -1 ? route : route.slice(0, query));
};

// A response that adds to a conversation, or runs in the background (a job that goes on, and bills, after its caller
// gave up on it), changes something the caller would find twice; so does compacting one into a conversation.
const responsesRoute = new RegExp(`^${prefix}\\/responses(?:\\/compact)?\\/?(?:\\?|$)`);
const leavesTrace = (json: Readonly<Record<string, unknown>> | undefined): boolean =>
  json !== undefined && ((json.conversation !== undefined && json.conversation !== null) || json.background === true);

/**
 * Whether a request may be sent more than once: its method is idempotent (GET, HEAD, OPTIONS, TRACE, PUT, DELETE),
 * its route only generates an answer (`/chat/completions`, `/embeddings`, `/responses`, `/messages`,
 * `/audio/speech`, `/images/generations`…, also under Azure's and Gemini's prefixes), or its caller vouches for it
 * with an `Idempotency-Key` (or `X-Idempotency-Key`) header, as Go's HTTP client reads them. Any other request (a POST
 * to `/files`, `/batches`, `/fine_tuning/jobs`, `/messages/batches`…) may have been acted on when its answer failed,
 * and sent again it would create a second file, batch or job on the endpoint, or on another; so is a response created
 * in a `conversation` or in the `background`. The router retries or fails such a request over only after an answer
 * that says it was not acted on (see `Classification.unprocessed`), and the transport never sends it twice.
 *
 * `path` is below the API base and may carry a query; `headers` are the caller's, names lower case; `json` the
 * parsed body, when it is a JSON object.
 *
 * @example
 * isReplayable('POST', '/chat/completions', {}); // true
 * isReplayable('POST', '/files', {}); // false
 * isReplayable('POST', '/files', { 'idempotency-key': 'upload-42' }); // true
 * isReplayable('POST', '/responses', {}, { model: 'gpt-4.1', input: 'Hi', background: true }); // false
 */
export const isReplayable = (
  method: string,
  path: string,
  headers: Readonly<Record<string, string>> | undefined,
  json?: Readonly<Record<string, unknown>>,
): boolean => {
  if (headers !== undefined && (headers['idempotency-key'] !== undefined || headers['x-idempotency-key'] !== undefined)) return true;
  if (idempotentMethods.has(method)) return true;
  const route = path.startsWith('/') ? path.replace(/^\/{2,}/, '/') : `/${path}`;
  return generationRoutes.test(route) && !(leavesTrace(json) && responsesRoute.test(route));
};
