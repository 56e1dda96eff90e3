import type { OptionsIssue } from '../errors/invalid-options-error';

/** The parts of a zod issue that a message is built from (zod and zod/mini issues alike). */
interface SchemaIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message?: string | undefined;
  readonly expected?: unknown;
  readonly minimum?: unknown;
  readonly maximum?: unknown;
  readonly inclusive?: boolean;
  readonly origin?: string;
  readonly keys?: readonly string[];
  readonly values?: readonly unknown[];
  readonly format?: string;
}

/** Renders a zod path as users write it: `endpoints[2].weight`. */
export const formatPath = (path: readonly PropertyKey[], prefix = ''): string =>
  path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    prefix,
  );

// zod/mini ships no locale (that keeps Workers small), so its messages are a bare "Invalid input": say what was
// expected from the issue's own fields instead.
const describe = (issue: SchemaIssue): string => {
  const sized = issue.origin === 'array' ? 'items' : issue.origin === 'string' ? 'characters' : '';
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected === 'int' ? 'an integer' : String(issue.expected)}`;
    case 'too_small':
      return sized ? `expected at least ${String(issue.minimum)} ${sized}` : `expected a number ${issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return sized ? `expected at most ${String(issue.maximum)} ${sized}` : `expected a number ${issue.inclusive ? '≤' : '<'} ${String(issue.maximum)}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys && issue.keys.length > 1 ? 's' : ''} ${(issue.keys ?? []).map((key) => `"${key}"`).join(', ')}`;
    case 'invalid_value':
      return `expected one of ${(issue.values ?? []).map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' ? 'has an invalid format' : `expected a valid ${issue.format ?? 'value'}`;
    case 'invalid_union':
      return 'matches none of the accepted shapes';
    default:
      return 'is invalid';
  }
};

/** Turns zod's issues into {@link OptionsIssue}s that name the bad field and say what was expected. */
export const toIssues = (error: { readonly issues: readonly SchemaIssue[] }, prefix = ''): OptionsIssue[] =>
  error.issues.map((issue) => ({
    path: formatPath(issue.path, prefix),
    message: issue.message && issue.message !== 'Invalid input' ? issue.message : describe(issue),
  }));
