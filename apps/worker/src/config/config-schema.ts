import { z } from 'zod';

/** A secret written inline or read from an environment variable (`{ "env": "OPENAI_API_KEY" }`). */
export const secretSchema = z.union([
  z.string().min(1, 'must not be empty'),
  z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name') }).strict(),
]);

/** A secret as written in the config file. */
export type SecretInput = z.infer<typeof secretSchema>;

/**
 * The gateway's own part of the config. Endpoint fields other than `apiKey`, and everything under `router`, are
 * @detour/core's and validated by it, so both layers name the bad field the same way (`endpoints[1].weight`).
 */
export const gatewayConfigSchema = z
  .object({
    endpoints: z.array(z.looseObject({ apiKey: secretSchema.optional() })).min(1, 'configure at least one endpoint'),
    /**
     * Keys callers present as `Authorization: Bearer <key>`: a secret, or `{ "key": secret, "priority": "low" }` to
     * give that caller's requests a default admission-queue class (its `x-detour-priority` header still wins).
     */
    gatewayKeys: z
      .array(
        z.union([
          secretSchema,
          z
            .object({
              key: secretSchema,
              /** How spend and the dashboard name this key (never the key itself). @default `key-<index>` */
              name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected 1 to 64 letters, digits, ".", "_" or "-"').optional(),
              priority: z.enum(['high', 'normal', 'low']).optional(),
            })
            .strict(),
        ]),
      )
      .default([]),
    /** Runs without gateway keys. Never the default: the gateway refuses to start keyless without it. */
    allowUnauthenticated: z.boolean().default(false),
    /** Engine settings: anything @detour/core's createRouter takes besides `endpoints`. */
    router: z.record(z.string(), z.unknown()).default({}),
    /** Largest request body accepted; larger ones get 413. */
    maxBodyBytes: z.number().int().positive().default(10 * 1024 * 1024),
    /** Deepest nesting of arrays and objects accepted in a request body; deeper ones get 400 before any parsing. */
    maxJsonDepth: z.number().int().positive().max(10_000).default(128),
    /** Node: a request's headers must arrive within this long (the connection is closed with 408 otherwise). */
    headersTimeoutMs: z.number().int().positive().default(10_000),
    /**
     * Node: a whole request, headers and body, must arrive within this long (never its response, which may stream
     * for minutes). At least `headersTimeoutMs`.
     */
    requestTimeoutMs: z.number().int().positive().default(30_000),
    /** On SIGTERM, in-flight requests and streams get this long to finish. */
    shutdownGraceMs: z.number().int().nonnegative().default(30_000),
    /** Node only: one JSON line per request on stdout (also `--access-log`). */
    accessLog: z.boolean().default(false),
    /**
     * The operator's view: `/dashboard`, `/admin/state` and `/admin/costs`, behind this key (never a gateway key).
     * Off (404) when absent; the `DETOUR_ADMIN_KEY` environment variable (or Worker binding) sets it too.
     */
    admin: z.object({ key: secretSchema }).strict().optional(),
    /**
     * Node: OpenTelemetry tracing (docs/tracing.md; also `DETOUR_TRACING`). `auto`: a span per request and per
     * attempt once the process registers a tracer provider; `otlp`: the gateway registers one exporting over
     * OTLP/HTTP (`OTEL_EXPORTER_OTLP_ENDPOINT`); `off`: never.
     */
    tracing: z.union([z.literal('auto'), z.literal('otlp'), z.literal('off')]).default('auto'),
    /** Shared state for a fleet; in-memory when absent. */
    store: z
      .union([
        z.object({ redis: z.url({ protocol: /^rediss?$/, error: 'expected a redis:// or rediss:// URL' }) }).strict(),
        z.object({ durableObject: z.string().min(1) }).strict(),
      ])
      .optional(),
  })
  .strict()
  .refine((config) => config.requestTimeoutMs >= config.headersTimeoutMs, {
    path: ['requestTimeoutMs'], message: 'must be at least headersTimeoutMs',
  });

/** The config file as written. */
export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>;
