import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillPriceDefaults } from '../pricing/fill-price-defaults';
import { pricesSchema } from '../pricing/prices-schema';
import { checkRouterOptions, eachApiOnce, resolveEndpoint } from './option-hooks';
import { pricesRule, routerOptionsRule } from './option-rules';
import { routerOptionsSchema } from './router-options-schema';
import { validate, type Rule } from './rules';
import { toIssues } from './to-issues';

// option-rules.ts is compiled from the zod schemas by this file: change a schema, then regenerate it with
//   UPDATE_OPTION_RULES=1 npx vitest run src/options/option-rules.test.ts
// The hooks are the schemas' code parts, found by identity; a superRefine hides its function inside zod, so the
// compiler is told which one each schema has.

interface ZodLike {
  readonly _zod: { readonly def: Record<string, unknown> & { readonly type: string; readonly checks?: readonly ZodLike[] } };
}

const hookNames = new Map<unknown, string>([
  [resolveEndpoint, 'resolveEndpoint'],
  [eachApiOnce, 'eachApiOnce'],
  [fillPriceDefaults, 'fillPriceDefaults'],
]);

/** A hook's name in the generated file: functions are emitted as references to it. */
class Hook {
  constructor(readonly name: string) {}
}

const messageOf = (def: Record<string, unknown>): string | undefined => {
  if (typeof def.error !== 'function') return undefined;
  const message: unknown = def.error({});
  return typeof message === 'string' ? message : (message as { message?: string } | undefined)?.message;
};

const hook = (fn: unknown): Hook => {
  const name = hookNames.get(fn);
  if (!name) throw new Error('a schema runs a function that is not a named hook: export it from option-hooks.ts and list it here');
  return new Hook(name);
};

const compileCheck = (check: ZodLike, superRefine: Hook | undefined): Record<string, unknown> => {
  const def = check._zod.def as Record<string, unknown>;
  const error = messageOf(def);
  switch (def.check) {
    case 'min_length':
      return { check: 'min_length', minimum: def.minimum, error };
    case 'greater_than':
    case 'less_than':
      return { check: def.check, value: def.value, inclusive: def.inclusive, error };
    case 'string_format':
      if (def.format !== 'regex') break;
      return { check: 'regex', pattern: def.pattern, error };
    case 'custom':
      if (def.fn) return { check: 'refine', refine: hook(def.fn), error };
      if (!superRefine) break;
      return { check: 'super_refine', refine: superRefine };
  }
  throw new Error(`the compiled rules have no ${String(def.check)} check: add it to rules.ts`);
};

/** Compiles a zod/mini schema into the plain rules `validate` interprets. */
const compile = (schema: ZodLike, superRefines: Map<ZodLike, Hook> = new Map()): Record<string, unknown> => {
  const def = schema._zod.def;
  const checks = (def.checks ?? []).map((check) => compileCheck(check, superRefines.get(schema)));
  const common = { error: messageOf(def), checks: checks.length ? checks : undefined };
  const inner = (key: string) => compile(def[key] as ZodLike, superRefines);
  switch (def.type) {
    case 'string':
      if (def.format === 'url') return { type: 'url', protocol: def.protocol, ...common };
      if (def.format) break;
      return { type: 'string', ...common };
    case 'number':
      if (def.format && def.format !== 'safeint') break;
      return { type: 'number', int: def.format === 'safeint' ? true : undefined, ...common };
    case 'boolean':
    case 'unknown':
      return { type: def.type, ...common };
    case 'enum':
      return { type: 'enum', values: Object.values(def.entries as object), ...common };
    case 'array':
      return { type: 'array', element: inner('element'), ...common };
    case 'record':
      return { type: 'record', key: inner('keyType'), value: inner('valueType'), ...common };
    case 'union':
      return { type: 'union', options: (def.options as ZodLike[]).map((option) => compile(option, superRefines)), ...common };
    case 'object':
      if ((def.catchall as ZodLike | undefined)?._zod.def.type !== 'never') break;
      return {
        type: 'object',
        shape: Object.fromEntries(Object.entries(def.shape as Record<string, ZodLike>).map(([key, field]) => [key, compile(field, superRefines)])),
        ...common,
      };
    case 'optional':
      return { type: 'optional', inner: inner('innerType'), ...common };
    case 'default':
    case 'prefault':
      return { type: def.type, inner: inner('innerType'), value: def.defaultValue, ...common };
    case 'pipe': {
      const out = (def.out as ZodLike)._zod.def;
      if (out.type !== 'transform') break;
      return { type: 'pipe', inner: inner('in'), transform: hook(out.transform), ...common };
    }
  }
  throw new Error(`the compiled rules cannot express this ${def.type} schema: extend rules.ts`);
};

/** TypeScript source for a value, `undefined` fields left out, functions as their hook names. */
const source = (value: unknown, names: Map<string, string>): string => {
  if (value instanceof Hook) return value.name;
  if (value instanceof RegExp) return String(value);
  if (Array.isArray(value)) return `[${value.map((item) => source(item, names)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    // Shared constants are looked up by their full text, so a rule is named before its parts are.
    const shared = names.size ? names.get(source(value, new Map())) : undefined;
    if (shared) return shared;
    return `{ ${Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .map(([key, field]) => `${/^[A-Za-z_]\w*$/.test(key) ? key : JSON.stringify(key)}: ${source(field, names)}`)
      .join(', ')} }`;
  }
  return JSON.stringify(value);
};

/** The generated module: rules that occur more than once are shared constants, declared before their users. */
const generate = (rules: Record<string, Record<string, unknown>>): string => {
  const counts = new Map<string, number>();
  const count = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(count);
    else if (value !== null && typeof value === 'object' && !(value instanceof Hook) && !(value instanceof RegExp)) {
      Object.values(value).forEach(count);
      if ('type' in value) counts.set(source(value, new Map()), (counts.get(source(value, new Map())) ?? 0) + 1);
    }
  };
  Object.values(rules).forEach(count);
  const names = new Map<string, string>();
  const declarations: string[] = [];
  // Shortest first: a shared rule's own parts are shorter than it, so they are named before it is written.
  for (const [text, times] of [...counts].sort((a, b) => a[0].length - b[0].length)) {
    if (times < 2 || text.length < 40) continue;
    const name = `shared${names.size}`;
    const rule = Object.values(rules).flatMap(function find(value: unknown): unknown[] {
      if (value === null || typeof value !== 'object' || value instanceof Hook || value instanceof RegExp) return [];
      if (source(value, new Map()) === text) return [value];
      return Object.values(value).flatMap(find);
    })[0];
    declarations.push(`const ${name}: Rule = ${source(rule, names)};`);
    names.set(text, name);
  }
  return [
    '// Generated by option-rules.test.ts from the zod schemas (router-options-schema.ts, endpoint-schema.ts,',
    '// prices-schema.ts); do not edit. Regenerate: UPDATE_OPTION_RULES=1 npx vitest run src/options/option-rules.test.ts',
    "import { fillPriceDefaults } from '../pricing/fill-price-defaults';",
    "import { checkRouterOptions, eachApiOnce, resolveEndpoint } from './option-hooks';",
    "import type { Rule } from './rules';",
    '',
    ...declarations,
    '',
    '/** `routerOptionsSchema`, compiled. */',
    `export const routerOptionsRule: Rule = ${source(rules.routerOptionsRule, names)};`,
    '',
    '/** `pricesSchema`, compiled. */',
    `export const pricesRule: Rule = ${source(rules.pricesRule, names)};`,
    '',
  ].join('\n');
};

const generated = generate({
  routerOptionsRule: compile(routerOptionsSchema as unknown as ZodLike, new Map([[routerOptionsSchema as unknown as ZodLike, new Hook('checkRouterOptions')]])),
  pricesRule: compile(pricesSchema as unknown as ZodLike),
});
// The hooks are referenced by name in the generated file; keep the import used here.
void checkRouterOptions;

describe('option rules', () => {
  it('are the zod schemas, compiled (regenerate option-rules.ts after changing a schema)', () => {
    const path = fileURLToPath(new URL('./option-rules.ts', import.meta.url));
    if (process.env.UPDATE_OPTION_RULES) writeFileSync(path, generated);
    expect(readFileSync(path, 'utf8')).toBe(generated);
  });

  // Anything, with a bias towards what option fields hold and the ways they go wrong.
  const anything = fc.oneof(
    fc.constantFrom(undefined, null, true, false, 0, -1, 1, 1.5, 2, 20, 21, 1000, 1001, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, -(2 ** 53)),
    fc.constantFrom('', 'a', 'b', 'a b', 'x.y:z', 'weighted', 'latency', 'full', 'none', 'openai', 'anthropic', 'deepseek', 'chat', 'messages', 'responses'),
    fc.constantFrom('https://a.example/v1', ' https://b.example ', 'http:example.com', 'ftp://x.example', 'not a url', 'https://exa\nmple.com'),
    fc.integer({ min: -3, max: 70_000 }),
    fc.double(),
    fc.string({ maxLength: 3 }),
    fc.array(fc.constantFrom('chat', 'messages', 'a', '', 1), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', '', 'rpm', 'tpm', 'x'), fc.constantFrom('a', '', 1, -1, 60, null), { maxKeys: 3 }),
  );
  const maybe = <T>(value: fc.Arbitrary<T>) => fc.option(fc.oneof(value, anything), { nil: undefined });
  const withExtras = <T extends object>(value: fc.Arbitrary<T>) =>
    fc.tuple(value, fc.option(fc.dictionary(fc.constantFrom('extra', 'other', '__proto__'), anything, { maxKeys: 2 }), { nil: undefined }))
      .map(([object, extras]) => ({ ...object, ...extras }));
  const endpoint = withExtras(
    fc.record({
      name: maybe(fc.constantFrom('a', 'b', 'c')),
      baseUrl: maybe(fc.constantFrom('https://a.example/v1', 'http://127.0.0.1:8080')),
      apiKey: maybe(fc.constantFrom('sk-1', '')),
      priority: maybe(fc.constantFrom(0, 1, 2)),
      weight: maybe(fc.constantFrom(0.5, 1, 3)),
      models: maybe(fc.oneof(fc.constant(['m', 'n']), fc.constant({ m: 'up-m', o: '' }), fc.constant(['']))),
      provider: maybe(fc.constantFrom('openai', 'anthropic', 'groq')),
      apis: maybe(fc.constantFrom(['chat'], ['chat', 'chat'], [], ['messages', 'nope'])),
      continuation: maybe(fc.constantFrom('deepseek', 'none', 'other')),
      limits: maybe(fc.record({ rpm: maybe(fc.constantFrom(1, 60)), tpm: maybe(fc.constantFrom(1000)) }, { requiredKeys: [] })),
      headers: maybe(fc.constant({ 'x-a': 'b' })),
    }, { requiredKeys: [] }),
  );
  const options = withExtras(
    fc.record({
      endpoints: fc.oneof(fc.array(endpoint, { maxLength: 3 }), anything),
      selection: maybe(fc.constantFrom('weighted', 'latency')),
      maxAttempts: maybe(fc.constantFrom(1, 4, 20)),
      deadlineMs: maybe(fc.constantFrom(1, 1000)),
      attemptTimeoutMs: maybe(fc.constantFrom(1, 1000)),
      preferWaitMs: maybe(fc.constantFrom(0, 10)),
      rescue: maybe(fc.constantFrom('off', 'continue')),
      fallbacks: maybe(fc.dictionary(fc.constantFrom('m', 'n', 'o', ''), fc.record({ contextLength: maybe(fc.constantFrom('m', 'n', 'o')), contentPolicy: maybe(fc.constantFrom('m', 'n')) }, { requiredKeys: [] }), { maxKeys: 3 })),
      backoff: maybe(withExtras(fc.record({ jitter: maybe(fc.constantFrom('full', 'none')), baseMs: maybe(fc.constantFrom(1, 100)), multiplier: maybe(fc.constantFrom(1, 2.5)) }, { requiredKeys: [] }))),
      breaker: maybe(fc.record({ failureRate: maybe(fc.constantFrom(0.1, 1)), windowBuckets: maybe(fc.constantFrom(1, 10)) }, { requiredKeys: [] })),
      admission: maybe(fc.record({ enabled: maybe(fc.boolean()), maxQueueLength: maybe(fc.constantFrom(1, 100_000)), defaultPriority: maybe(fc.constantFrom('high', 'low')) }, { requiredKeys: [] })),
      prices: maybe(fc.constant([{ model: 'x' }])),
      streamUsage: maybe(fc.constantFrom('inject', 'passthrough')),
    }, { requiredKeys: [] }),
  );
  const price = withExtras(
    fc.record({
      model: maybe(fc.constantFrom('gpt-x', '')),
      inputPerMTok: maybe(fc.constantFrom(0, 1.5)),
      outputPerMTok: maybe(fc.constantFrom(0, 3)),
      cachedInputPerMTok: maybe(fc.constantFrom(0.5)),
      source: maybe(fc.constantFrom('s')),
      date: maybe(fc.constantFrom('2026-01-01', '2026-1-1')),
    }, { requiredKeys: [] }),
  );

  const agree = (rule: Rule, schema: { safeParse(input: unknown): { success: boolean; data?: unknown; error?: { issues: readonly unknown[] } } }, input: unknown) => {
    const expected = schema.safeParse(input);
    const actual = validate(rule, input);
    expect(actual.success).toBe(expected.success);
    if (actual.success) expect(actual.data).toStrictEqual(expected.data);
    else expect(toIssues(actual.error)).toEqual(toIssues(expected.error as never));
  };

  it('accept, default and reject router options exactly as the zod schema does, with the same issues', () => {
    fc.assert(fc.property(options, (input) => agree(routerOptionsRule, routerOptionsSchema, input)), { numRuns: Number(process.env.OPTION_RULES_RUNS ?? 1000), seed: process.env.OPTION_RULES_RUNS ? Date.now() : 18 });
  }, 60_000);

  it('accept, default and reject price rows exactly as the zod schema does, with the same issues', () => {
    fc.assert(fc.property(fc.oneof(fc.array(price, { maxLength: 3 }), anything), (input) => agree(pricesRule, pricesSchema, input)), { numRuns: Number(process.env.OPTION_RULES_RUNS ?? 500), seed: process.env.OPTION_RULES_RUNS ? Date.now() : 18 });
  }, 60_000);

  it('agree on hostile shapes: no prototype, inherited keys, class instances, symbol keys, holes', () => {
    const endpoint = { name: 'a', baseUrl: 'https://a.example/v1' };
    class Options {
      endpoints = [endpoint];
    }
    const inherited = Object.create({ selection: 'latency', extra: 1 });
    inherited.endpoints = [endpoint];
    const bare = Object.assign(Object.create(null), { endpoints: [Object.assign(Object.create(null), endpoint)] });
    const hostile: unknown[] = [
      bare,
      new Options(),
      inherited,
      { endpoints: [{ ...endpoint, headers: { [Symbol('s')]: 'x', a: 'b' } }] },
      { endpoints: [{ ...endpoint, headers: new Map([['a', 'b']]) }] },
      { endpoints: [{ ...endpoint, models: Object.create({ m: 'x' }) }] },
      { endpoints: [{ ...endpoint, query: Object.assign(Object.create(null), { v: '1' }) }] },
      { endpoints: [endpoint, , endpoint] },
      { endpoints: [endpoint], fallbacks: Object.assign(Object.create(null), { m: { contextLength: 'n' } }) },
      JSON.parse('{"endpoints":[{"name":"a","baseUrl":"https://a.example","__proto__":{"x":1}}],"__proto__":{"y":2}}'),
      { endpoints: [{ ...endpoint, baseUrl: 'https://a.example/v1\t' }] },
      { endpoints: [{ ...endpoint, baseUrl: new URL('https://a.example') }] },
      { endpoints: [endpoint], deadlineMs: new Date() },
      [],
      'options',
    ];
    for (const input of hostile) {
      agree(routerOptionsRule, routerOptionsSchema, input);
      agree(pricesRule, pricesSchema, input);
    }
  });

  it('agree on anything at all, whatever its shape', () => {
    fc.assert(fc.property(anything, (input) => {
      agree(routerOptionsRule, routerOptionsSchema, input);
      agree(pricesRule, pricesSchema, input);
    }), { numRuns: Number(process.env.OPTION_RULES_RUNS ?? 500), seed: process.env.OPTION_RULES_RUNS ? Date.now() : 18 });
  }, 60_000);
});
