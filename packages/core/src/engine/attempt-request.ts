import type { Endpoint } from '../options/endpoint-schema';
import type { TransportRequest } from '../ports/transport';
import { copyOwn } from './copy-own';
import { withFormModel } from './form-model';
import { bodyText, type PreparedRequest } from './prepare-request';
import { renameModel } from './rename-model';
import { withoutAddedUsage } from './stream-options-refusal';

// Bodies go to the transport as bytes, like the caller's (see `prepareRequest`).
const encoder = new TextEncoder();

/** The URL an endpoint's attempt on `path` goes to: base + route path + the endpoint's own query. */
const buildUrl = (endpoint: Endpoint, path: string): string => {
  const base = endpoint.baseUrl.endsWith('/') ? endpoint.baseUrl.slice(0, -1) : endpoint.baseUrl;
  const url = `${base}${path}`;
  if (!endpoint.query) return url;
  // The endpoint's own parameters win over the caller's of the same name (Azure's `api-version` is the operator's to
  // choose): sent both ways, the upstream would read whichever it reads first.
  const question = url.indexOf('?');
  const params = new URLSearchParams(question < 0 ? '' : url.slice(question + 1));
  for (const [name, value] of Object.entries(endpoint.query)) params.set(name, value);
  return `${question < 0 ? url : url.slice(0, question)}?${params}`;
};

/**
 * Each endpoint's URLs by route path, built once: the same string each time, whose hash V8 keeps, so a transport that
 * looks its URL up (the undici transport's parsed origins) hashes it once rather than on every attempt (1.7 thousand
 * instructions a request for a URL built afresh). At most 64 per endpoint: paths that carry a caller's query vary
 * without bound.
 */
const urlsByEndpoint = new WeakMap<Endpoint, Map<string, string>>();

const urlOf = (endpoint: Endpoint, path: string): string => {
  let urls = urlsByEndpoint.get(endpoint);
  if (!urls) urlsByEndpoint.set(endpoint, (urls = new Map()));
  let url = urls.get(path);
  if (url === undefined) {
    url = buildUrl(endpoint, path);
    if (urls.size < 64) urls.set(path, url);
  }
  return url;
};

/**
 * Builds the request one endpoint receives: its URL (base + route path + its own query), its key in its own
 * header, and the body with the model renamed when the endpoint calls the model by another name. Renamed bodies
 * are cached per name, so a failover to a same-named endpoint replays the caller's bytes untouched. `callerBody`:
 * the body as the caller sent it, without the `stream_options` Detour added (for an endpoint that refuses them).
 */
export const buildAttemptRequest = (
  endpoint: Endpoint,
  prepared: PreparedRequest,
  upstreamModel: string | undefined,
  cache: { bodyCache: Map<string, Uint8Array> | undefined },
  callerBody = false,
): TransportRequest => {
  const url = urlOf(endpoint, prepared.path);
  // Copied by stores, not spread: a spread and then the key's header would cost a hidden class per attempt (copy-own.ts).
  const headers = copyOwn(copyOwn<Record<string, string>>({}, prepared.headers), endpoint.headers);
  if (endpoint.apiKey !== undefined) {
    const header = endpoint.apiKeyHeader.toLowerCase();
    headers[header] = header === 'authorization' ? `Bearer ${endpoint.apiKey}` : endpoint.apiKey;
  }
  if (prepared.body !== undefined && headers['content-type'] === undefined && prepared.json) {
    headers['content-type'] = 'application/json';
  }
  const plain = callerBody && prepared.callerBody !== undefined;
  let body = plain ? prepared.callerBody : prepared.body;
  if (prepared.json && upstreamModel && upstreamModel !== prepared.model) {
    // A NUL cannot open a model name: the caller's own body renamed is cached apart from the one Detour added to.
    const key = plain ? `\u0000${upstreamModel}` : upstreamModel;
    let renamed = cache.bodyCache?.get(key);
    if (renamed === undefined) {
      // The caller's bytes with only the name changed; re-serialised only when they cannot be read that way.
      const text = body !== undefined ? renameModel(bodyText(body), upstreamModel) : undefined;
      const json = plain ? withoutAddedUsage(prepared.json) : prepared.json;
      renamed = encoder.encode(text ?? JSON.stringify({ ...json, model: upstreamModel }));
      (cache.bodyCache ??= new Map()).set(key, renamed);
    }
    body = renamed;
  } else if (prepared.form && body !== undefined && upstreamModel && upstreamModel !== prepared.model) {
    let renamed = cache.bodyCache?.get(upstreamModel);
    if (renamed === undefined) {
      renamed = withFormModel(body, prepared.form, upstreamModel);
      (cache.bodyCache ??= new Map()).set(upstreamModel, renamed);
    }
    body = renamed;
  }
  return { endpoint: endpoint.name, url, method: prepared.method, headers, body, replayable: prepared.replayable };
};
