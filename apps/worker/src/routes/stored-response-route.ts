import type { Router } from '@detour/core';
import type { Context } from 'hono';
import { GatewayError } from '../middleware/gateway-error';
import { forwardedHeaders } from './forwarded-headers';
import type { ProxyAdapter } from './proxy-adapter';

/**
 * What a response id may look like (OpenAI's are `resp_` and 48 hex digits). Checked before the id is put in an
 * upstream path: `..`, `/`, `%2F`, `?` or `#` in it would address some other upstream resource.
 */
const responseIdPattern = /^[A-Za-z0-9_-]{1,128}$/;

/** The query string of a request URL, `?` included, or '' (`include[]`, `limit`, `after`… pass through as sent). */
const queryOf = (url: string): string => {
  const start = url.indexOf('?');
  return start < 0 ? '' : url.slice(start);
};

/**
 * Proxies an operation on a stored response: `GET` or `DELETE /v1/responses/{id}`, `GET …/{id}/input_items`,
 * `POST …/{id}/cancel` (`suffix` names the sub-resource). No body is read or forwarded; the router sends the request
 * only to the endpoints that share storage with the one holding the response.
 */
export const storedResponseRoute = ({ router, method, suffix = '', adapter }: {
  router: Router; method: 'GET' | 'DELETE' | 'POST'; suffix?: '' | '/input_items' | '/cancel'; adapter: ProxyAdapter;
}): ((context: Context) => Promise<Response>) =>
  async function storedResponse(context) {
    const id = context.req.param('id') ?? '';
    if (!responseIdPattern.test(id)) {
      throw new GatewayError('invalid_request', 'The response id must be 1 to 128 letters, digits, "_" or "-".');
    }
    const path = `/responses/${id}${suffix}${queryOf(context.req.url)}`;
    const result = await router.send({ method, path, headers: forwardedHeaders(adapter, context), signal: adapter.signal(context) });
    return adapter.respond(context, result);
  };
