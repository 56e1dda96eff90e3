// The compiler behind the plain-data rules that `validate` (rules.ts) interprets: it reads a zod 4 schema (zod or
// zod/mini, both build the same `_zod.def`) and writes the TypeScript of a module holding the same schema as data.
// A package keeps its zod schema as the source of truth and checks, in a test, that the generated module is that
// schema compiled; its runtime then validates with the module and never loads zod (~6 MiB of a Node process's
// memory, ~30 kB of a Worker bundle). core's own option-rules.ts is made this way (test/option-rules.test.ts).

interface ZodLike {
  readonly _zod: { readonly def: Record<string, unknown> & { readonly type: string; readonly checks?: readonly ZodLike[] } };
}

/**
 * The code parts of a schema, by identity: each `refine`, `transform` (and, in `superRefines`, the schema whose
 * `superRefine` it is, since zod hides that function) maps to the name the generated module imports it by.
 */
export interface RuleHooks {
  /** Functions a schema runs (`refine`, `transform`), each with the name the generated module knows it by. */
  readonly functions?: ReadonlyMap<unknown, string>;
  /** Schemas with a `superRefine`, each with the name of the function it runs. */
  readonly superRefines?: ReadonlyMap<unknown, string>;
}

/** A compiled rule, ready for {@link rulesModuleSource}. */
export type CompiledRule = Readonly<Record<string, unknown>>;

/** A hook's name in the generated file: functions are emitted as references to it. */
class Hook {
  constructor(readonly name: string) {}
}

const messageOf = (def: Record<string, unknown>): string | undefined => {
  if (typeof def.error !== 'function') return undefined;
  const message: unknown = def.error({});
  return typeof message === 'string' ? message : (message as { message?: string } | undefined)?.message;
};

const hookOf = (fn: unknown, hooks: RuleHooks): Hook => {
  const name = hooks.functions?.get(fn);
  if (!name) throw new Error('a schema runs a function that is not a named hook: export it and list it in the hooks');
  return new Hook(name);
};

const compileCheck = (check: ZodLike, superRefine: Hook | undefined, hooks: RuleHooks): Record<string, unknown> => {
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
      if (def.fn) return { check: 'refine', refine: hookOf(def.fn, hooks), error, path: def.path };
      if (!superRefine) break;
      return { check: 'super_refine', refine: superRefine };
  }
  throw new Error(`the compiled rules have no ${String(def.check)} check: add it to rules.ts`);
};

/**
 * Compiles a zod 4 schema into the plain rule `validate` interprets. Throws, naming the kind, for anything the
 * interpreter cannot express yet (extend rules.ts and this compiler together).
 */
export const compileRule = (schema: unknown, hooks: RuleHooks = {}): CompiledRule => {
  const zodSchema = schema as ZodLike;
  const def = zodSchema._zod.def;
  const superRefineName = hooks.superRefines?.get(schema);
  // zod's `z.number().int()` is a `safeint` format check; as the first check it is exactly zod/mini's `z.int()`,
  // which the rules spell `int: true` (later, it would have let earlier checks report first).
  const [first, ...rest] = def.checks ?? [];
  const intCheck = def.type === 'number' && first?._zod.def.check === 'number_format' && first._zod.def.format === 'safeint' && messageOf(first._zod.def) === undefined;
  const checks = (intCheck ? rest : (def.checks ?? [])).map((check) => compileCheck(check, superRefineName ? new Hook(superRefineName) : undefined, hooks));
  const common = { error: messageOf(def), checks: checks.length ? checks : undefined };
  const inner = (key: string) => compileRule(def[key], hooks);
  switch (def.type) {
    case 'string':
      if (def.format === 'url') return { type: 'url', protocol: def.protocol, ...common };
      if (def.format) break;
      return { type: 'string', ...common };
    case 'number':
      if (def.format && def.format !== 'safeint') break;
      return { type: 'number', int: def.format === 'safeint' || intCheck ? true : undefined, ...common };
    case 'boolean':
    case 'unknown':
      return { type: def.type, ...common };
    case 'any':
      // zod runs `any` exactly as `unknown`: anything passes, and a key of either kind is not optional.
      return { type: 'unknown', ...common };
    case 'enum':
      return { type: 'enum', values: Object.values(def.entries as object), ...common };
    case 'literal':
      return { type: 'literal', values: def.values, ...common };
    case 'array':
      return { type: 'array', element: inner('element'), ...common };
    case 'record':
      return { type: 'record', key: inner('keyType'), value: inner('valueType'), ...common };
    case 'union':
      return { type: 'union', options: (def.options as ZodLike[]).map((option) => compileRule(option, hooks)), ...common };
    case 'object': {
      const catchall = (def.catchall as ZodLike | undefined)?._zod.def.type;
      if (catchall !== 'never' && catchall !== 'unknown') break;
      return {
        type: 'object',
        shape: Object.fromEntries(Object.entries(def.shape as Record<string, ZodLike>).map(([key, field]) => [key, compileRule(field, hooks)])),
        passthrough: catchall === 'unknown' ? true : undefined,
        ...common,
      };
    }
    case 'optional':
      return { type: 'optional', inner: inner('innerType'), ...common };
    case 'default':
    case 'prefault':
      return { type: def.type, inner: inner('innerType'), value: def.defaultValue, ...common };
    case 'pipe': {
      const out = (def.out as ZodLike)._zod.def;
      if (out.type !== 'transform') break;
      return { type: 'pipe', inner: inner('in'), transform: hookOf(out.transform, hooks), ...common };
    }
  }
  throw new Error(`the compiled rules cannot express this ${def.type} schema: extend rules.ts (and compile-rules.ts)`);
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

/** One exported rule of a generated module. */
export interface ModuleRule {
  /** The exported constant's name. */
  readonly name: string;
  /** Its TSDoc (without the comment markers). */
  readonly doc: string;
  readonly rule: CompiledRule;
}

/**
 * The TypeScript of a module exporting compiled rules: `header` comment lines, then `imports` (the hooks and the
 * `Rule` type), then rules that occur more than once as shared constants, declared before their users, then each
 * rule of `rules` as an exported constant.
 */
export const rulesModuleSource = ({ header, imports, rules }: { readonly header: readonly string[]; readonly imports: readonly string[]; readonly rules: readonly ModuleRule[] }): string => {
  const counts = new Map<string, number>();
  const count = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(count);
    else if (value !== null && typeof value === 'object' && !(value instanceof Hook) && !(value instanceof RegExp)) {
      Object.values(value).forEach(count);
      if ('type' in value) counts.set(source(value, new Map()), (counts.get(source(value, new Map())) ?? 0) + 1);
    }
  };
  const roots = rules.map(({ rule }) => rule);
  roots.forEach(count);
  const names = new Map<string, string>();
  const declarations: string[] = [];
  // Shortest first: a shared rule's own parts are shorter than it, so they are named before it is written.
  for (const [text, times] of [...counts].sort((a, b) => a[0].length - b[0].length)) {
    if (times < 2 || text.length < 40) continue;
    const name = `shared${names.size}`;
    const rule = roots.flatMap(function find(value: unknown): unknown[] {
      if (value === null || typeof value !== 'object' || value instanceof Hook || value instanceof RegExp) return [];
      if (source(value, new Map()) === text) return [value];
      return Object.values(value).flatMap(find);
    })[0];
    declarations.push(`const ${name}: Rule = ${source(rule, names)};`);
    names.set(text, name);
  }
  return [
    ...header.map((line) => `// ${line}`),
    ...imports,
    '',
    ...declarations,
    ...rules.flatMap(({ name, doc, rule }) => ['', `/** ${doc} */`, `export const ${name}: Rule = ${source(rule, names)};`]),
    '',
  ].join('\n');
};
