import { readFileSync } from 'node:fs';

/** The `--help` text of `detour-gateway`. */
export const helpText = `detour-gateway: an OpenAI-compatible gateway with failover (Detour)

usage: detour-gateway --config <file> [options]

  -c, --config <file>        the gateway config (JSON); secrets as { "env": "NAME" } are read from the environment
  -p, --port <n>             port to listen on (0 picks a free one)              default 8787
      --host <addr>          address to bind; 0.0.0.0 behind a load balancer    default 127.0.0.1
      --allow-unauthenticated  run without gateway keys
      --access-log           one JSON line per request on stdout (also "accessLog": true in the config)
      --check                validate the config, print what it would route, and exit (0 valid, 1 invalid)
  -h, --help                 print this help and exit
  -v, --version              print the version and exit

Spend summary (needs the gateway's admin key, from --admin-key or DETOUR_ADMIN_KEY):
  detour-gateway costs [--url http://127.0.0.1:8787] [--window 1h] [--json]
                             spend by endpoint, model and gateway key, wasted spend included

Routes: POST /v1/chat/completions, /v1/completions, /v1/embeddings, /v1/responses (and GET, DELETE
/v1/responses/:id), /v1/messages, /v1/messages/count_tokens; GET /v1/models, /healthz, /metrics;
/dashboard, /admin/state and /admin/costs with an admin key ("admin": { "key": … }).
SIGTERM or SIGINT drains in-flight requests (the config's shutdownGraceMs), then exits 0; SIGHUP
drains, then exits 129, for a supervisor to restart it on its config read anew (read at start only).
Docs: https://github.com/detour-dev/detour/tree/main/apps/worker#readme
`;

/**
 * The package's version, read from its package.json at run time so the built CLI never disagrees with the
 * manifest (`changeset version` rewrites only the manifest). Works from `dist/` and from `src/node/`.
 */
export const packageVersion = (): string => {
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === '@detour/gateway' && manifest.version) return manifest.version;
    } catch {
      // Not at this depth; try the next.
    }
  }
  return 'unknown';
};
