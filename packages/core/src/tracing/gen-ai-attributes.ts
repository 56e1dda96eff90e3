import type { ApiName } from '../apis/api-name';
import type { Endpoint } from '../options/endpoint-schema';
import type { TraceAttributes, TraceAttributeValue } from './tracer';

/**
 * `gen_ai.operation.name` per API, from the OpenTelemetry GenAI semantic conventions (semconv 1.37+): the Responses
 * and Messages APIs are chat; routes of no API (`/models`…) have no GenAI operation and are named by their path.
 */
const operations: Readonly<Record<ApiName, string>> = {
  chat: 'chat', completions: 'text_completion', embeddings: 'embeddings', responses: 'chat', messages: 'chat',
};

/** The operation name of a request's API, or undefined for a route of no API. */
export const operationOf = (api: ApiName | undefined): string | undefined => (api === undefined ? undefined : operations[api]);

/** A span's name per the GenAI conventions: `{gen_ai.operation.name} {gen_ai.request.model}`, or what is known of it. */
export const spanName = (operation: string | undefined, model: string | undefined, path: string): string => {
  if (operation === undefined) return `detour ${path.split('?')[0]}`;
  return model === undefined ? operation : `${operation} ${model}`;
};

/**
 * `gen_ai.provider.name` of an endpoint: the conventions' well-known value where there is one (`azure.ai.openai`,
 * `gcp.gemini`, `mistral_ai`), else Detour's provider name; an endpoint with no provider speaks the OpenAI API.
 */
const providerNames: Readonly<Record<string, string>> = {
  azure: 'azure.ai.openai', gemini: 'gcp.gemini', mistral: 'mistral_ai',
};

/** What an attempt span says about the endpoint it went to; computed once per endpoint. */
export interface EndpointAttributes {
  readonly provider: string;
  readonly address: string | undefined;
  readonly port: number | undefined;
}

const byEndpoint = new WeakMap<Endpoint, EndpointAttributes>();
const defaultPorts: Readonly<Record<string, number>> = { 'https:': 443, 'http:': 80 };

/**
 * The provider, host and port of an endpoint (`server.address`, `server.port`). Only the host name leaves: a base
 * URL's user info and query (where some providers put a key) never do.
 */
export const endpointAttributes = (endpoint: Endpoint): EndpointAttributes => {
  const known = byEndpoint.get(endpoint);
  if (known) return known;
  const provider = endpoint.provider === undefined ? 'openai' : (providerNames[endpoint.provider] ?? endpoint.provider);
  let address: string | undefined;
  let port: number | undefined;
  try {
    const url = new URL(endpoint.baseUrl);
    address = url.hostname;
    port = url.port === '' ? defaultPorts[url.protocol] : Number(url.port);
  } catch {
    // The options schema accepted it as a URL; a host we cannot read is simply left out.
  }
  const attributes = { provider, address, port };
  byEndpoint.set(endpoint, attributes);
  return attributes;
};

/** Drops undefined values, which OpenTelemetry SDKs warn about rather than skip. */
export const defined = (attributes: Readonly<Record<string, TraceAttributeValue | undefined>>): TraceAttributes => {
  const out: Record<string, TraceAttributeValue> = {};
  for (const key in attributes) {
    const value = attributes[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
};
