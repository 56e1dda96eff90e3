import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fillPriceDefaults } from '../src/pricing/fill-price-defaults';
import { pricesSchema } from '../src/pricing/prices-schema';
import { eachApiOnce, resolveEndpoint } from '../src/options/option-hooks';
import { routerOptionsSchema } from '../src/options/router-options-schema';

// option-rules.ts is compiled from the zod schemas by this file: change a schema, then regenerate it with
//   UPDATE_OPTION_RULES=1 npx vitest run test/option-rules.test.ts
// (Node only: it reads and writes the file. src/options/option-rules.test.ts checks, in Node and in workerd, that
// the compiled rules and zod agree.)
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
    case 'any':
      // zod runs `any` exactly as `unknown`: anything passes, and a key of either kind is not optional.
      return { type: 'unknown', ...common };
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
  throw new Error(`the compiled rules cannot express this ${def.type} schema: extend rules.ts (and this compiler), then regenerate option-rules.ts`);
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
    '// Generated by test/option-rules.test.ts from the zod schemas (router-options-schema.ts, endpoint-schema.ts,',
    '// prices-schema.ts); do not edit. Regenerate: UPDATE_OPTION_RULES=1 npx vitest run test/option-rules.test.ts',
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

describe('option rules', () => {
  it('are the zod schemas, compiled (regenerate option-rules.ts after changing a schema)', () => {
    const path = fileURLToPath(new URL('../src/options/option-rules.ts', import.meta.url));
    if (process.env.UPDATE_OPTION_RULES) writeFileSync(path, generated);
    expect(readFileSync(path, 'utf8')).toBe(generated);
  });
});
