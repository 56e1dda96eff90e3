import { endpointSecrets, englishMessage, toIssues, validate } from '@detour/core/binding';
import {
  apiNames, endpointApis, InvalidOptionsError, parseRouterOptions, type ApiName, type OptionsIssue, type Priority, type RouterOptions, type RouterOptionsInput,
} from '@detour/core';
import { gatewayConfigRule } from './config-rules';
import type { TracingMode } from './tracing-modes';
import type { z } from 'zod';
import type { gatewayConfigSchema, SecretInput } from './config-schema';
import type { AgentOptions } from '@detour/node';

/** A validated config with every secret resolved: what the gateway runs on. */
export interface GatewayConfig {
  readonly router: RouterOptions;
  readonly gatewayKeys: readonly string[];
  /** Each gateway key's default admission class, by the key's index (undefined: the router's default). */
  readonly gatewayKeyPriorities: readonly (Priority | undefined)[];
  /** Each gateway key's name, by index: its `name`, else `key-<index>`. Spend is accounted under it, never the key. */
  readonly gatewayKeyNames: readonly string[];
  /** The admin key guarding `/dashboard` and `/admin/*`; undefined when they are off. */
  readonly adminKey: string | undefined;
  readonly allowUnauthenticated: boolean;
  readonly maxBodyBytes: number;
  /** Bytes of request bodies all requests in flight may hold together. */
  readonly maxBodyBytesInFlight: number;
  /** Deepest nesting of arrays and objects accepted in a request body. */
  readonly maxJsonDepth: number;
  readonly shutdownGraceMs: number;
  readonly shutdownDelayMs: number;
  /** Node: headers must arrive within this long. */
  readonly headersTimeoutMs: number;
  /** Node: a whole request (not its response) must arrive within this long. */
  readonly requestTimeoutMs: number;
  /** Node: an idle keep-alive connection from a caller is closed after this long. */
  readonly keepAliveTimeoutMs: number;
  /** Node: the connection pool to the endpoints (`@detour/node`'s `agent`); undefined for its defaults. */
  readonly agent: AgentOptions | undefined;
  /** Node only: write the access log to stdout. */
  readonly accessLog: boolean;
  /** Node: how the gateway traces with OpenTelemetry (`auto`, `otlp`, `off`; see `setupTracing`). */
  readonly tracing: TracingMode;
  /** Whether a traced request joins its caller's trace context (`join`) or starts its own (`ignore`). */
  readonly traceContext: 'join' | 'ignore';
  readonly store: { readonly redis: string; readonly prefix?: string | undefined } | { readonly durableObject: string } | undefined;
  /** The public model names endpoints list explicitly (for `GET /v1/models`), sorted. */
  readonly models: readonly string[];
  /**
   * The APIs each of those models is served over: the union of the `apis` of the endpoints that list it, in
   * `apiNames` order. Endpoints without a model list serve any model and add no names.
   */
  readonly modelApis: ReadonlyMap<string, readonly ApiName[]>;
  /** Every upstream key, so they can be scrubbed from anything relayed to callers. */
  readonly secrets: readonly string[];
}

type ParsedConfig = z.output<typeof gatewayConfigSchema>;

/** The paths of own `__proto__` keys in a parsed JSON value (a config nests a few levels; the walk stops at 32). */
const prototypeKeys = (value: unknown, path: string, depth: number): string[] => {
  if (depth > 32 || value === null || typeof value !== 'object') return [];
  const found = Object.hasOwn(value, '__proto__') ? [path ? `${path}.__proto__` : '__proto__'] : [];
  for (const [key, child] of Object.entries(value)) {
    if (key !== '__proto__') found.push(...prototypeKeys(child, Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key, depth + 1));
  }
  return found;
};

/** Where `{ "env": "NAME" }` secrets are read from: `process.env` on Node, the Worker's `env` on Workers. */
export type SecretSource = Readonly<Record<string, unknown>>;

/** What a variable bound to something other than text is (a Worker's var may be a number or a table). */
const notText = (value: unknown): string =>
  `is set, but to ${Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`} rather than text`;

const resolveSecret = (secret: SecretInput, path: string, env: SecretSource, issues: OptionsIssue[]): string | undefined => {
  const value = typeof secret === 'string' ? secret : env[secret.env];
  if (typeof value !== 'string' || value.length === 0) {
    const variable = (secret as { env: string }).env;
    // A Worker's var may be bound as a number or a table: set, but not a key.
    const state = value === '' ? 'is set but empty' : value === undefined || value === null ? 'is not set' : notText(value);
    issues.push({ path, message: `environment variable ${variable} ${state}` });
    return undefined;
  }
  // Callers' keys are compared exactly and upstream keys sent as they are: a key with whitespace around it (a pasted
  // line, a file's last newline) is never matched, and one that is only whitespace would let anyone in.
  if (value.trim() !== value || value.trim().length === 0) {
    const where = typeof secret === 'string' ? 'the key' : `environment variable ${secret.env}`;
    issues.push({ path, message: `${where} starts or ends with whitespace (or is only whitespace)` });
    return undefined;
  }
  return value;
};

/**
 * A key callers present in a header (a gateway key, the admin key) must be one a header can carry and a Bearer
 * token can hold: printable ASCII without spaces. The config accepted `ädmin-ключ` and `adm key`, and no request
 * could ever present either.
 */
const presentable = (key: string | undefined, path: string, issues: OptionsIssue[]): string | undefined => {
  if (key === undefined || /^[\x21-\x7e]+$/.test(key)) return key;
  issues.push({ path, message: 'expected printable ASCII without spaces: a key sent as "Authorization: Bearer <key>" can hold nothing else' });
  return undefined;
};

/** The environment variable (or Worker binding) that sets the admin key when the config has no `admin` section. */
export const adminKeyVariable = 'DETOUR_ADMIN_KEY';

const adminKeyOf = (secret: SecretInput | undefined, env: SecretSource, issues: OptionsIssue[]): string | undefined => {
  if (secret !== undefined) return presentable(resolveSecret(secret, 'admin.key', env, issues), 'admin.key', issues);
  const value = env[adminKeyVariable];
  // Bound to a number or a table, it was taken for unset, and the admin routes stayed off without a word.
  if (value !== undefined && value !== null && typeof value !== 'string') {
    issues.push({ path: adminKeyVariable, message: `environment variable ${adminKeyVariable} ${notText(value)}` });
    return undefined;
  }
  return typeof value === 'string' && value.trim().length > 0 ? presentable(value.trim(), adminKeyVariable, issues) : undefined;
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether an issue already names `path` or a field it is inside (`endpoints` covers `endpoints[0].weight`). A root
 * issue (an unknown key at the top) covers only the root.
 */
const coveredBy = (issues: readonly OptionsIssue[], path: string): boolean =>
  issues.some((issue) => path === issue.path || (issue.path !== '' && (path.startsWith(`${issue.path}.`) || path.startsWith(`${issue.path}[`))));

/** A secret as the file gives it, if it has a secret's shape (the gateway's checks name any other). */
const secretInput = (value: unknown): SecretInput | undefined =>
  (typeof value === 'string' && value.length > 0) || (isRecord(value) && typeof value.env === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(value.env))
    ? (value as SecretInput)
    : undefined;

/** Core names fields from its own root; in the file everything but `endpoints` sits under `router`. */
const routerIssues = (error: InvalidOptionsError, routerKeys: ReadonlySet<string>): OptionsIssue[] =>
  error.issues.map((issue) => {
    // An unknown key at core's root can only have come from `router` (the file's `endpoints` is known).
    if (issue.path === '') return { ...issue, path: 'router' };
    return { ...issue, path: routerKeys.has(issue.path.split(/[.[]/)[0] ?? '') ? `router.${issue.path}` : issue.path };
  });

/**
 * Validates a gateway config (parsed JSON) and resolves its secrets. Throws `InvalidOptionsError` listing every bad
 * field by path (`endpoints[1].apiKey: environment variable OPENAI_KEY is not set`), from every check at once: the
 * gateway's own fields, the keys, and core's endpoint and router options; the message never contains a secret's value.
 */
export const loadConfig = (input: unknown, env: SecretSource, source = 'gateway config'): GatewayConfig => {
  // gatewayConfigSchema, compiled (config-rules.ts): the same checks and messages without loading zod.
  const parsed = validate<ParsedConfig>(gatewayConfigRule, input);
  const issues: OptionsIssue[] = parsed.success
    ? []
    : toIssues({ issues: parsed.error.issues.map((issue) => ({ ...issue, message: issue.message ?? englishMessage(issue) })) });
  // Where the gateway's own checks failed, the later ones still run on what the file holds, so that one run names
  // every bad field: an unknown root key used to hide every endpoint's and the router's issues.
  const config = parsed.success ? parsed.data : undefined;
  // Validation drops an own `__proto__` key inside records and loose objects without a word, as zod does: a
  // `router: { "__proto__": { "maxAttempts": 1 } }` passed and did nothing. Refused instead, by path.
  for (const path of prototypeKeys(input, '', 0)) issues.push({ path, message: 'unknown key "__proto__"' });
  const written = isRecord(input) ? input : {};
  const writtenEndpoints = config?.endpoints ?? (Array.isArray(written.endpoints) ? written.endpoints : undefined);
  // Array.from, not `map`: an array as written may carry its own `constructor`, which `map` would call.
  const endpoints = writtenEndpoints && Array.from(writtenEndpoints as readonly unknown[], (endpoint, index) => {
    if (!isRecord(endpoint)) return endpoint;
    const path = `endpoints[${index}].apiKey`;
    const secret = config ? (endpoint.apiKey as SecretInput | undefined) : coveredBy(issues, path) ? undefined : secretInput(endpoint.apiKey);
    return { ...endpoint, apiKey: secret === undefined ? undefined : resolveSecret(secret, path, env, issues) };
  });
  const gatewayKeys: string[] = [];
  const gatewayKeyPriorities: (Priority | undefined)[] = [];
  const gatewayKeyNames: string[] = [];
  const shapeIssues = [...issues];
  const keyEntries = config?.gatewayKeys ?? (!coveredBy(issues, 'gatewayKeys') && Array.isArray(written.gatewayKeys) ? (written.gatewayKeys as ParsedConfig['gatewayKeys']) : []);
  keyEntries.forEach((entry, index) => {
    // An entry of the wrong shape has its issue already.
    if (!config && coveredBy(shapeIssues, `gatewayKeys[${index}]`)) return;
    const withPriority = typeof entry === 'object' && 'key' in entry;
    const path = withPriority ? `gatewayKeys[${index}].key` : `gatewayKeys[${index}]`;
    const key = presentable(resolveSecret(withPriority ? entry.key : entry, path, env, issues), path, issues);
    if (key === undefined) return;
    const name = (withPriority ? entry.name : undefined) ?? `key-${index}`;
    if (gatewayKeyNames.includes(name)) issues.push({ path: `gatewayKeys[${index}].name`, message: `"${name}" names another gateway key already` });
    gatewayKeys.push(key);
    gatewayKeyPriorities.push(withPriority ? entry.priority : undefined);
    gatewayKeyNames.push(name);
  });
  const adminSecret = config ? config.admin?.key : isRecord(written.admin) ? secretInput(written.admin.key) : undefined;
  // An admin section of the wrong shape has its issue already.
  const adminKey = config || !coveredBy(shapeIssues, 'admin') ? adminKeyOf(adminSecret, env, issues) : undefined;
  // A caller's key must never open the operator's view.
  if (adminKey !== undefined && gatewayKeys.includes(adminKey)) issues.push({ path: 'admin.key', message: 'must differ from every gateway key' });
  // Keys that were written but refused have their own issue already.
  if (config && gatewayKeys.length === 0 && config.gatewayKeys.length === 0 && !config.allowUnauthenticated) {
    issues.push({ path: 'gatewayKeys', message: 'no gateway key is configured; add one, or set "allowUnauthenticated": true (or --allow-unauthenticated) to run open' });
  }

  const routerInput = config?.router ?? (isRecord(written.router) ? written.router : written.router === undefined ? {} : undefined);
  let router: RouterOptions | undefined;
  if (endpoints !== undefined && routerInput !== undefined) {
    try {
      // The gateway prices streams by default (metrics and cost figures for every app without touching it); an
      // operator whose upstreams reject `stream_options` sets "streamUsage": "passthrough".
      router = parseRouterOptions({ streamUsage: 'inject', ...routerInput, endpoints } as RouterOptionsInput);
    } catch (error) {
      if (!(error instanceof InvalidOptionsError)) throw error;
      // What the gateway's checks named already (an endpoint that is not an object, say) is not named twice.
      const earlier = [...issues];
      for (const issue of routerIssues(error, new Set(Object.keys(routerInput)))) if (!coveredBy(earlier, issue.path)) issues.push(issue);
    }
  }
  if (issues.length > 0 || !config || !router) throw new InvalidOptionsError(issues, source);
  const served = new Map<string, Set<ApiName>>();
  for (const endpoint of router.endpoints) {
    const names = Array.isArray(endpoint.models) ? endpoint.models : endpoint.models ? Object.keys(endpoint.models) : [];
    for (const model of names) {
      const apis = served.get(model) ?? new Set<ApiName>();
      for (const api of endpointApis(endpoint)) apis.add(api);
      served.set(model, apis);
    }
  }
  const models = [...served.keys()].sort();
  return Object.freeze({
    router,
    gatewayKeys,
    gatewayKeyPriorities,
    gatewayKeyNames,
    adminKey,
    allowUnauthenticated: config.allowUnauthenticated,
    maxBodyBytes: config.maxBodyBytes,
    maxBodyBytesInFlight: config.maxBodyBytesInFlight,
    maxJsonDepth: config.maxJsonDepth,
    shutdownGraceMs: config.shutdownGraceMs,
    shutdownDelayMs: config.shutdownDelayMs,
    headersTimeoutMs: config.headersTimeoutMs,
    requestTimeoutMs: config.requestTimeoutMs,
    keepAliveTimeoutMs: config.keepAliveTimeoutMs,
    agent: config.agent,
    accessLog: config.accessLog,
    tracing: config.tracing,
    traceContext: config.traceContext,
    store: config.store,
    models,
    modelApis: new Map(models.map((model) => [model, apiNames.filter((api) => served.get(model)!.has(api))])),
    secrets: endpointSecrets(router.endpoints),
  });
};
