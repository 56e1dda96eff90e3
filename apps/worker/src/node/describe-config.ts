import { endpointApis } from '@detour/core';
import type { GatewayConfig } from '../config/load-config';

const describeModels = (models: Readonly<Record<string, string>> | readonly string[] | undefined): string => {
  if (models === undefined) return 'every model';
  if (Array.isArray(models)) return models.join(', ');
  return Object.entries(models)
    .map(([publicName, upstreamName]) => (publicName === upstreamName ? publicName : `${publicName} → ${upstreamName}`))
    .join(', ');
};

/**
 * What `detour-gateway --check` prints: the endpoints by tier (tier 0 is tried first), their weights, models and APIs,
 * the public model list and the gateway settings. Names and URLs only: never a key, nor a header value.
 */
export const describeConfig = (config: GatewayConfig, source: string): string => {
  const lines = [`config OK: ${source}`];
  const tiers = [...new Set(config.router.endpoints.map((endpoint) => endpoint.priority))].sort((a, b) => a - b);
  lines.push(`endpoints: ${config.router.endpoints.length} in ${tiers.length} tier${tiers.length === 1 ? '' : 's'} (tier 0 first; a higher tier only when every lower one is unavailable)`);
  for (const tier of tiers) {
    lines.push(`  tier ${tier}:`);
    for (const endpoint of config.router.endpoints.filter((candidate) => candidate.priority === tier)) {
      const provider = endpoint.provider ? ` (${endpoint.provider})` : '';
      const key = endpoint.apiKey === undefined ? 'no key' : 'key set';
      lines.push(`    ${endpoint.name}${provider}  ${endpoint.baseUrl}  weight ${endpoint.weight}  ${key}  models: ${describeModels(endpoint.models)}  apis: ${endpointApis(endpoint).join(', ')}`);
    }
  }
  lines.push(`public models (GET /v1/models): ${config.models.length > 0 ? config.models.join(', ') : 'none listed (endpoints serve every model)'}`);
  const store = config.store === undefined ? 'in-memory' : 'redis' in config.store ? `redis (prefix ${JSON.stringify(config.store.prefix ?? 'detour:')})` : `durable object ${config.store.durableObject}`;
  lines.push(
    `gateway keys: ${config.allowUnauthenticated && config.gatewayKeys.length === 0 ? 'none (unauthenticated)' : config.gatewayKeys.length}` +
      `; store: ${store}; max body ${config.maxBodyBytes} bytes; shutdown grace ${config.shutdownGraceMs} ms${config.shutdownDelayMs > 0 ? ` after ${config.shutdownDelayMs} ms still accepting` : ''}`,
  );
  // Whether the operator's routes exist; never the admin key.
  lines.push(`dashboard: ${config.adminKey === undefined ? 'off (no admin key)' : 'on (/dashboard, /admin/state, /admin/costs; admin key set)'}`);
  // Whom traces trust: joined, a caller's `traceparent` decides sampling and where the spans go (docs/tracing.md).
  const context = config.traceContext === 'join' ? "callers' traceparent joined" : "callers' traceparent ignored";
  lines.push(`tracing: ${config.tracing}${config.tracing === 'off' ? '' : ` (${context})`}`);
  return `${lines.join('\n')}\n`;
};
