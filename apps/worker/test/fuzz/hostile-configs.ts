import fc from 'fast-check';

/** Sets `key` as an own property, so `__proto__` lands as data the way JSON.parse would leave it, not as a prototype. */
const withOwn = (target: Record<string, unknown>, key: string, value: unknown) => {
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
  return target;
};

const prototypeKeys = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf');
const numbers = fc.oneof(
  fc.integer({ min: -5, max: 100_000 }),
  fc.constantFrom(0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 2 ** 53, 0.5, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.double(),
);
/** Anything at all, weighted towards the wrong types a hand-written config holds. */
const junk = fc.oneof(
  numbers,
  fc.string({ maxLength: 30 }),
  fc.boolean(),
  fc.constantFrom(null, undefined),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
);
const maybe = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 3 }, junk);

const names = fc.oneof(fc.constantFrom('primary', 'backup', 'a.b:c-d_e'), fc.string({ maxLength: 20 }), prototypeKeys);
const urls = fc.oneof(fc.constantFrom('https://api.example.com/v1', 'http://127.0.0.1:1/v1', 'ftp://example.com', 'not a url', '', 'https://user:pass@example.com/v1'), fc.webUrl());
const secrets = fc.oneof(fc.string({ maxLength: 40 }), fc.record({ env: fc.constantFrom('FUZZ_KEY', 'MISSING_KEY', '1BAD', '__proto__', '') }), junk);
const stringMaps = fc.oneof(
  fc.dictionary(fc.oneof(fc.string({ maxLength: 10 }), prototypeKeys), fc.oneof(fc.string({ maxLength: 20 }), junk), { maxKeys: 4 }),
  junk,
);
const models = fc.oneof(fc.array(fc.oneof(fc.string({ maxLength: 12 }), prototypeKeys, junk), { maxLength: 4 }), stringMaps);

const endpoint = fc
  .record(
    {
      name: maybe(names),
      baseUrl: maybe(urls),
      apiKey: secrets,
      apiKeyHeader: maybe(fc.constantFrom('authorization', 'api-key', 'x-api-key', 'bad header')),
      priority: maybe(numbers),
      weight: maybe(numbers),
      models: maybe(models),
      provider: maybe(fc.constantFrom('openai', 'azure', 'anthropic', 'groq', 'nope')),
      headers: stringMaps,
      query: stringMaps,
      unknown: junk,
    },
    { requiredKeys: [] },
  )
  .chain((value) => fc.tuple(prototypeKeys, junk, fc.boolean()).map(([key, extra, add]) => (add ? withOwn({ ...value }, key, extra) : value)));

const routerField = fc.oneof(
  fc.constantFrom('selection', 'maxAttempts', 'deadlineMs', 'attemptTimeoutMs', 'firstByteTimeoutMs', 'maxServerDelayMs', 'maxRequestBytes', 'maxResponseBytes', 'backoff', 'breaker', 'cooldown', 'retryBudget', 'latency', 'streamUsage', 'prices', 'endpoints'),
  prototypeKeys,
  fc.string({ maxLength: 10 }),
);
const routerValue = fc.oneof(numbers, junk, fc.dictionary(fc.constantFrom('baseMs', 'capMs', 'consecutiveFailures', 'ratio', 'decayMs', 'minRequests', '__proto__'), numbers, { maxKeys: 3 }));
const router = fc.oneof(
  fc.array(fc.tuple(routerField, routerValue), { maxLength: 5 }).map((pairs) => pairs.reduce((target, [key, value]) => withOwn(target, key, value), {} as Record<string, unknown>)),
  junk,
);

const validEndpoint = (index: number) =>
  fc.record(
    {
      name: fc.constant(`endpoint-${index}`),
      baseUrl: fc.constantFrom('https://api.example.com/v1', 'http://127.0.0.1:8080/v1'),
      apiKey: fc.constantFrom('sk-fuzz-inline-key-000', { env: 'FUZZ_KEY' }),
      priority: fc.integer({ min: 0, max: 3 }),
      weight: fc.integer({ min: 1, max: 10 }),
      models: fc.oneof(fc.constant(['gpt-4.1']), fc.constant({ 'gpt-4.1': 'gpt-4.1-2025' })),
    },
    { requiredKeys: ['name', 'baseUrl'] },
  );
const validConfig = fc.integer({ min: 1, max: 3 }).chain((count) =>
  fc.record(
    {
      endpoints: fc.tuple(...Array.from({ length: count }, (_, index) => validEndpoint(index))),
      gatewayKeys: fc.constant(['gk-fuzz-key']),
      router: fc.record({ maxAttempts: fc.integer({ min: 1, max: 20 }), deadlineMs: fc.integer({ min: 1, max: 600_000 }) }, { requiredKeys: [] }),
      maxBodyBytes: fc.integer({ min: 1, max: 2 ** 30 }),
      shutdownGraceMs: fc.nat(),
    },
    { requiredKeys: ['endpoints', 'gatewayKeys'] },
  ),
);

/** A structured copy with one field somewhere replaced, removed, or joined by an unknown or prototype key. */
const mutate = (config: unknown, draws: { pathIndex: number; action: number; key: string; value: unknown }): unknown => {
  const copy = structuredClone(config) as Record<string, unknown>;
  const targets: Array<Record<string, unknown>> = [copy];
  const walk = (value: unknown) => {
    if (typeof value !== 'object' || value === null) return;
    for (const child of Object.values(value)) {
      if (typeof child === 'object' && child !== null) {
        targets.push(child as Record<string, unknown>);
        walk(child);
      }
    }
  };
  walk(copy);
  const target = targets[draws.pathIndex % targets.length]!;
  const keys = Object.keys(target);
  const existing = keys[draws.pathIndex % Math.max(1, keys.length)];
  if (draws.action === 0 && existing !== undefined) delete target[existing];
  else if (draws.action === 1 && existing !== undefined) target[existing] = draws.value;
  else withOwn(target, draws.key, draws.value);
  return copy;
};
const mutations = fc.record({ pathIndex: fc.nat(50), action: fc.integer({ min: 0, max: 2 }), key: fc.oneof(prototypeKeys, fc.string({ maxLength: 8 })), value: junk });
const nearlyValid = fc
  .tuple(validConfig, fc.array(mutations, { maxLength: 3 }))
  .map(([config, changes]) => changes.reduce<unknown>((current, change) => mutate(current, change), config));

/** Config objects: mostly almost right, with wrong types, missing and unknown fields, prototype keys, extreme numbers. */
export const hostileConfigs: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: nearlyValid, weight: 8 },
  {
    weight: 4,
    arbitrary: fc
      .record(
        {
          endpoints: fc.oneof({ arbitrary: fc.array(endpoint, { maxLength: 4 }), weight: 4 }, junk),
          gatewayKeys: maybe(fc.array(secrets, { maxLength: 3 })),
          allowUnauthenticated: maybe(fc.boolean()),
          router,
          maxBodyBytes: maybe(numbers),
          shutdownGraceMs: maybe(numbers),
          store: maybe(fc.oneof(fc.record({ redis: fc.oneof(fc.constantFrom('redis://127.0.0.1:6379', 'rediss://x', 'http://x'), fc.string()) }), fc.record({ durableObject: fc.string({ maxLength: 10 }) }))),
        },
        { requiredKeys: [] },
      )
      .chain((value) => fc.tuple(prototypeKeys, junk, fc.boolean()).map(([key, extra, add]) => (add ? withOwn({ ...value }, key, extra) : value))),
  },
  junk,
  fc.anything(),
);
