// Options are described once, with zod/mini (router-options-schema.ts, endpoint-schema.ts, prices-schema.ts): those
// schemas are the source, documented and exported for tooling. A router checks options with this interpreter of
// the same schemas compiled to plain data (option-rules.ts, generated from them by test/option-rules.test.ts;
// src/options/option-rules.test.ts checks that both agree on every input it generates): zod/mini's runtime, ~30 kB
// minified, stays out of a Worker's bundle. It follows zod 4's rules for the kinds used there, issue for issue, so `toIssues` renders the
// same messages.

/** A check run after a value has the right type, as zod runs `.check(…)`. */
export type RuleCheck =
  | { readonly check: 'min_length'; readonly minimum: number; readonly error?: string }
  | { readonly check: 'greater_than' | 'less_than'; readonly value: number; readonly inclusive: boolean; readonly error?: string }
  | { readonly check: 'regex'; readonly pattern: RegExp; readonly error?: string }
  | { readonly check: 'refine'; readonly refine: (value: never) => boolean; readonly error?: string; readonly path?: readonly PropertyKey[] }
  | { readonly check: 'super_refine'; readonly refine: (value: never, context: RefineContext) => void };

/** One schema node, compiled from zod/mini. `error` is the schema's own message, as `z.number('…')` gives it. */
export type Rule = { readonly error?: string; readonly checks?: readonly RuleCheck[] } & (
  | { readonly type: 'string' | 'boolean' | 'unknown' }
  | { readonly type: 'number'; readonly int?: boolean }
  | { readonly type: 'url'; readonly protocol?: RegExp }
  | { readonly type: 'enum'; readonly values: readonly string[] }
  | { readonly type: 'literal'; readonly values: readonly unknown[] }
  | { readonly type: 'array'; readonly element: Rule }
  | { readonly type: 'record'; readonly key: Rule; readonly value: Rule }
  | { readonly type: 'union'; readonly options: readonly Rule[] }
  // `passthrough`: unknown keys are kept as they are (zod's looseObject); otherwise they are an issue (strictObject).
  | { readonly type: 'object'; readonly shape: Readonly<Record<string, Rule>>; readonly passthrough?: boolean }
  | { readonly type: 'optional'; readonly inner: Rule }
  | { readonly type: 'default' | 'prefault'; readonly inner: Rule; readonly value: unknown }
  | { readonly type: 'pipe'; readonly inner: Rule; readonly transform: (value: never) => unknown }
);

/** An issue in zod's shape (the fields `toIssues` reads), so both validators render alike. */
export interface RuleIssue {
  code: string;
  path: PropertyKey[];
  message?: string;
  continue?: boolean;
  expected?: string;
  minimum?: number;
  maximum?: number;
  inclusive?: boolean;
  origin?: string;
  keys?: string[];
  values?: readonly unknown[];
  format?: string;
  /** The value of the wrong type (`invalid_type`), as zod keeps it, so a message can say what was received. */
  input?: unknown;
  /** The pattern a string failed to match (`invalid_format` of format `regex`). */
  pattern?: string;
}

/** What a `super_refine` check receives: zod's `addIssue`. */
export interface RefineContext {
  addIssue(issue: { code: 'custom'; path: (string | number)[]; message: string; input?: unknown }): void;
}

interface Payload {
  value: unknown;
  issues: RuleIssue[];
  aborted?: boolean;
}

/** zod's `aborted`: an issue that does not let later checks run (a wrong type, say) is in the payload. */
const aborted = (payload: Payload): boolean => payload.aborted === true || payload.issues.some((issue) => issue.continue !== true);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

// zod's isPlainObject, for records: a class instance or an object with an altered prototype is not a record.
const isPlainObject = (value: unknown): value is Record<PropertyKey, unknown> => {
  if (!isObject(value)) return false;
  const constructor = value.constructor;
  if (typeof constructor !== 'function') return true;
  const prototype = constructor.prototype;
  return isObject(prototype) && Object.hasOwn(prototype, 'isPrototypeOf');
};

// How zod's fields treat an absent key: `optional` may be absent and yields nothing; `defaulted` supplies a value.
const optionalIn = (rule: Rule): 'optional' | 'defaulted' | undefined =>
  rule.type === 'default' || rule.type === 'prefault'
    ? 'defaulted'
    : rule.type === 'optional'
      ? (optionalIn(rule.inner) === 'defaulted' ? 'defaulted' : 'optional')
      : rule.type === 'pipe'
        ? optionalIn(rule.inner)
        : undefined;
const optionalOut = (rule: Rule): boolean => rule.type === 'optional';

const prefix = (key: PropertyKey, issues: RuleIssue[]): RuleIssue[] => {
  for (const issue of issues) issue.path.unshift(key);
  return issues;
};

const withMessage = (issue: RuleIssue, message: string | undefined): RuleIssue => (message === undefined ? issue : { ...issue, message });

/** Runs a check's test; issues from checks let later checks run (`continue: true`), as zod's do. */
const runCheck = (check: RuleCheck, payload: Payload, schemaError: string | undefined): void => {
  const value = payload.value as never;
  const error = 'error' in check ? (check.error ?? schemaError) : undefined;
  switch (check.check) {
    case 'min_length': {
      // Strings are measured in code points, as zod does (UTF-16 units only settle it outside [minimum, 2 × minimum)).
      const units = (value as { length: number }).length;
      const length = typeof value === 'string' && units >= check.minimum && units < check.minimum * 2 ? [...(value as string)].length : units;
      if (length < check.minimum) {
        const origin = Array.isArray(value) ? 'array' : typeof value === 'string' ? 'string' : 'unknown';
        payload.issues.push(withMessage({ code: 'too_small', path: [], origin, minimum: check.minimum, inclusive: true, continue: true }, error));
      }
      return;
    }
    case 'greater_than':
    case 'less_than': {
      const above = check.check === 'greater_than';
      const ok = above ? (check.inclusive ? value >= check.value : value > check.value) : check.inclusive ? value <= check.value : value < check.value;
      if (ok) return;
      const bound = above ? { code: 'too_small', minimum: check.value } : { code: 'too_big', maximum: check.value };
      payload.issues.push(withMessage({ ...bound, path: [], origin: 'number', inclusive: check.inclusive, continue: true }, error));
      return;
    }
    case 'regex':
      check.pattern.lastIndex = 0;
      if (!check.pattern.test(value)) payload.issues.push(withMessage({ code: 'invalid_format', path: [], origin: 'string', format: 'regex', pattern: String(check.pattern), continue: true }, error));
      return;
    case 'refine':
      if (!check.refine(value)) payload.issues.push(withMessage({ code: 'custom', path: [...(check.path ?? [])], continue: true }, error));
      return;
    case 'super_refine':
      check.refine(value, { addIssue: ({ code, path, message }) => payload.issues.push({ code, path: [...path], message, continue: true }) });
  }
};

// Checks after the type: skipped once an aborting issue is in, except length checks, which run on anything with a
// length unless an issue explicitly aborted (as zod's `when` has it).
const runChecks = (rule: Rule, payload: Payload): Payload => {
  for (const check of rule.checks ?? []) {
    if (check.check === 'min_length') {
      const value = payload.value as { length?: unknown } | null | undefined;
      if (payload.aborted || payload.issues.some((issue) => issue.continue === false)) continue;
      if (value === null || value === undefined || value.length === undefined) continue;
    } else if (aborted(payload)) continue;
    runCheck(check, payload, rule.error);
  }
  return payload;
};

// A value of the wrong type still meets the rule's length checks when it has a length, as in zod: `""` for a list
// of endpoints is both not a list and too short.
const wrongType = (rule: Rule, payload: Payload, expected: string): Payload => {
  payload.issues.push(withMessage({ code: 'invalid_type', path: [], expected, input: payload.value }, rule.error));
  return payload;
};
const invalidType = (rule: Rule, payload: Payload, expected: string): Payload => runChecks(rule, wrongType(rule, payload, expected));

// The URL parser drops ASCII tabs and newlines; so does the value kept, as zod's does.
const parsesAsUrl = (text: string): URL | undefined => {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
};

const parseUrl = (rule: Extract<Rule, { type: 'url' }>, payload: Payload): void => {
  const trimmed = (payload.value as string).trim();
  const invalid = () => payload.issues.push(withMessage({ code: 'invalid_format', path: [], format: 'url', continue: true }, rule.error));
  // zod insists on `://` for an http(s) protocol rule, so `http:example.com` is not read as a relative URL.
  if (rule.protocol?.source === '^https?$' && !/^https?:\/\//i.test(trimmed)) return void invalid();
  const url = parsesAsUrl(trimmed);
  if (url === undefined) return void invalid();
  if (rule.protocol) {
    rule.protocol.lastIndex = 0;
    if (!rule.protocol.test(url.protocol.endsWith(':') ? url.protocol.slice(0, -1) : url.protocol)) invalid();
  }
  payload.value = trimmed.replace(/[\t\n\r]/g, '');
};

const parseObject = (rule: Extract<Rule, { type: 'object' }>, payload: Payload): Payload => {
  const input = payload.value;
  if (!isObject(input)) return wrongType(rule, payload, 'object');
  const output: Record<string, unknown> = {};
  payload.value = output;
  for (const [key, field] of Object.entries(rule.shape)) {
    const result = run(field, input[key]);
    const present = key in input;
    const optin = optionalIn(field);
    const optout = optionalOut(field);
    if (!present && optout && optin === 'optional') continue;
    if (result.issues.length) {
      if (optin !== undefined && optout && !present) continue;
      payload.issues.push(...prefix(key, result.issues));
    }
    if (!present && optin === undefined) {
      if (!result.issues.length) payload.issues.push({ code: 'invalid_type', path: [key], expected: 'nonoptional' });
      continue;
    }
    if (result.value !== undefined) output[key] = result.value;
    else if (present || (optin === 'defaulted' && !optout)) output[key] = undefined;
  }
  const unknown: string[] = [];
  for (const key in input) {
    if (Object.hasOwn(rule.shape, key)) continue;
    // An undeclared `__proto__` is never copied (it would replace the result's prototype), as in zod.
    if (rule.passthrough) {
      if (key !== '__proto__') output[key] = input[key];
    } else unknown.push(key);
  }
  if (unknown.length) payload.issues.push({ code: 'unrecognized_keys', path: [], keys: unknown, continue: true });
  return payload;
};

const parseRecord = (rule: Extract<Rule, { type: 'record' }>, payload: Payload): Payload => {
  const input = payload.value;
  if (!isPlainObject(input)) return wrongType(rule, payload, 'record');
  const output: Record<PropertyKey, unknown> = {};
  payload.value = output;
  for (const key of Reflect.ownKeys(input)) {
    if (key === '__proto__' || !Object.prototype.propertyIsEnumerable.call(input, key)) continue;
    const keyResult = run(rule.key, key);
    if (keyResult.issues.length) {
      payload.issues.push({ code: 'invalid_key', path: [key], origin: 'record' });
      continue;
    }
    const result = run(rule.value, input[key]);
    payload.issues.push(...prefix(key, result.issues));
    output[keyResult.value as PropertyKey] = result.value;
  }
  return payload;
};

const parseUnion = (rule: Extract<Rule, { type: 'union' }>, payload: Payload): Payload => {
  const results = rule.options.map((option) => run(option, payload.value));
  const passed = results.find((result) => result.issues.length === 0);
  if (passed) return passed;
  // One option that failed only on checks (not on its type) is what the caller meant: its issues are reported.
  const near = results.filter((result) => !aborted(result));
  if (near.length === 1) return near[0]!;
  payload.issues.push(withMessage({ code: 'invalid_union', path: [] }, rule.error));
  return payload;
};

/** Parses one value against one rule, as zod's `_zod.run` does. */
const run = (rule: Rule, value: unknown, issues: RuleIssue[] = []): Payload => {
  const payload: Payload = { value, issues };
  switch (rule.type) {
    case 'string':
    case 'boolean':
      if (typeof value !== rule.type) return invalidType(rule, payload, rule.type);
      return runChecks(rule, payload);
    case 'unknown':
      return payload;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return invalidType(rule, payload, 'number');
      if (rule.int) {
        if (!Number.isInteger(value)) {
          payload.issues.push(withMessage({ code: 'invalid_type', path: [], expected: 'int', format: 'safeint', input: value, continue: false }, rule.error));
          return payload;
        }
        if (!Number.isSafeInteger(value)) {
          const bound = value > 0 ? { code: 'too_big', maximum: Number.MAX_SAFE_INTEGER } : { code: 'too_small', minimum: Number.MIN_SAFE_INTEGER };
          payload.issues.push(withMessage({ ...bound, path: [], origin: 'int', inclusive: true, continue: true }, rule.error));
          return runChecks(rule, payload);
        }
      }
      return runChecks(rule, payload);
    case 'url':
      if (typeof value !== 'string') return invalidType(rule, payload, 'string');
      parseUrl(rule, payload);
      return runChecks(rule, payload);
    case 'enum':
      if (!rule.values.includes(value as string)) payload.issues.push(withMessage({ code: 'invalid_value', path: [], values: rule.values }, rule.error));
      return payload;
    case 'literal':
      if (!rule.values.includes(value)) payload.issues.push(withMessage({ code: 'invalid_value', path: [], values: rule.values }, rule.error));
      return payload;
    case 'array': {
      if (!Array.isArray(value)) return invalidType(rule, payload, 'array');
      // An index loop, not `map`: a hole is read as `undefined` and checked like any item.
      const output: unknown[] = [];
      for (let index = 0; index < value.length; index += 1) {
        const result = run(rule.element, value[index]);
        payload.issues.push(...prefix(index, result.issues));
        output.push(result.value);
      }
      payload.value = output;
      return runChecks(rule, payload);
    }
    case 'record':
      return runChecks(rule, parseRecord(rule, payload));
    case 'union':
      return parseUnion(rule, payload);
    case 'object':
      return runChecks(rule, parseObject(rule, payload));
    case 'optional':
      return value === undefined && optionalIn(rule.inner) !== 'defaulted' ? payload : run(rule.inner, value, issues);
    case 'default': {
      const result = value === undefined ? payload : run(rule.inner, value, issues);
      if (result.value === undefined) result.value = shallowCopy(rule.value);
      return result;
    }
    case 'prefault':
      return run(rule.inner, value === undefined ? shallowCopy(rule.value) : value, issues);
    case 'pipe': {
      const left = run(rule.inner, value, issues);
      if (left.issues.some((issue) => issue.code !== 'unrecognized_keys')) return { ...left, aborted: true };
      return { value: rule.transform(left.value as never), issues: left.issues };
    }
  }
};

// zod hands out a shallow copy of an object or array default, so no parsed result shares it with another.
const shallowCopy = (value: unknown): unknown => (Array.isArray(value) ? [...value] : isObject(value) ? { ...value } : value);

/** Validates `input` against a compiled schema: zod's `safeParse`, with zod-shaped issues. */
export const validate = <T>(rule: Rule, input: unknown): { success: true; data: T } | { success: false; error: { issues: RuleIssue[] } } => {
  const result = run(rule, input);
  return result.issues.length ? { success: false, error: { issues: result.issues } } : { success: true, data: result.value as T };
};
