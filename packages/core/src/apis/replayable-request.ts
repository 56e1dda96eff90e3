// Methods HTTP defines as idempotent (RFC 9110 §9.2.2): sent twice, they leave the server as sent once.
const idempotentMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

// The POST routes that generate an answer and keep nothing: asked twice, the provider answers twice (and bills twice,
// the price of failing over), but makes nothing the caller would find twice. Chat, completions, embeddings and
// moderations; a response (`/responses`, stored or not), its token count or compaction, and its cancel (cancelled
// twice, it stays cancelled); Anthropic's message and its token
// count; speech, transcription and translation; images generated, edited or varied; and the scoring routes of
// inference servers (vLLM, TEI, Together: `/rerank`, `/score`, `/classify`, `/pooling`, `/tokenize`,
// `/detokenize`). Everything else a POST or PATCH can reach creates or changes something: a file, an upload, a
// batch, a fine-tuning job, a vector store, an assistant, a thread or its run, a message batch, a conversation.
const generationRoutes =
  /^\/(?:chat\/completions|completions|embeddings|moderations|responses(?:\/input_tokens|\/compact|\/[^/?]+\/cancel)?|messages(?:\/count_tokens)?|audio\/(?:speech|transcriptions|translations)|images\/(?:generations|edits|variations)|rerank|score|classify|pooling|tokenize|detokenize)\/?(?:\?|$)/;

/**
 * Whether a request may be sent more than once: its method is idempotent (GET, HEAD, OPTIONS, TRACE, PUT, DELETE),
 * its route only generates an answer (`/chat/completions`, `/embeddings`, `/responses`, `/messages`,
 * `/audio/speech`, `/images/generations`…), or its caller vouches for it with an `Idempotency-Key` (or
 * `X-Idempotency-Key`) header, as Go's HTTP client reads them. Any other request (a POST to `/files`, `/batches`,
 * `/fine_tuning/jobs`, `/messages/batches`…) may have been acted on when its answer failed, and sent again it would
 * create a second file, batch or job on the endpoint, or on another: the router retries or fails it over only after
 * an answer that says it was not (see `Classification.unprocessed`), and the transport never sends it twice.
 *
 * `path` is below the API base and may carry a query; `headers` are the caller's, names lower case.
 *
 * @example
 * isReplayable('POST', '/chat/completions', {}); // true
 * isReplayable('POST', '/files', {}); // false
 * isReplayable('POST', '/files', { 'idempotency-key': 'upload-42' }); // true
 */
export const isReplayable = (method: string, path: string, headers: Readonly<Record<string, string>> | undefined): boolean =>
  idempotentMethods.has(method)
  || generationRoutes.test(path.startsWith('/') ? path : `/${path}`)
  || (headers !== undefined && (headers['idempotency-key'] !== undefined || headers['x-idempotency-key'] !== undefined));
