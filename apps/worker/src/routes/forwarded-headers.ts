import type { Context } from 'hono';
import type { ProxyAdapter } from './proxy-adapter';

/**
 * Caller headers worth passing on; everything else (their key in `authorization` or `x-api-key`, cookies,
 * hop-by-hop fields) stays here. `anthropic-version` and `anthropic-beta` select the Messages API's version and
 * features, `openai-beta` the Assistants and Realtime betas: the upstream must see what the caller asked for.
 */
// `x-client-request-id` is OpenAI's for a caller's own request id, kept in its logs. `openai-organization` and
// `openai-project` are not passed: the endpoint's key chooses what a request is billed to (README, Routes). Nor is
// `content-type`: every body the gateway forwards is the JSON object it parsed, sent as `application/json` (core
// adds it). Passed on, `curl -d`'s `application/x-www-form-urlencoded` made FastAPI servers (vLLM) answer 422 for
// a body the gateway had accepted.
const forwarded = ['accept', 'user-agent', 'x-request-id', 'x-client-request-id', 'anthropic-version', 'anthropic-beta', 'openai-beta'];

/** The caller's headers that go upstream with its request. */
export const forwardedHeaders = (adapter: ProxyAdapter, context: Context): Record<string, string> => {
  const headers: Record<string, string> = {};
  for (const name of forwarded) {
    const value = adapter.header(context, name);
    if (value !== undefined) headers[name] = value;
  }
  return headers;
};
