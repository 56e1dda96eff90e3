import type { z } from 'zod';
import type { OptionsIssue } from '../errors/invalid-options-error';

/** Renders a zod path as users write it: `endpoints[2].weight`. */
export const formatPath = (path: readonly PropertyKey[], prefix = ''): string =>
  path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    prefix,
  );

/** Turns zod's issues into {@link OptionsIssue}s that name the bad field. */
export const toIssues = (error: z.ZodError, prefix = ''): OptionsIssue[] =>
  error.issues.map((issue) => ({ path: formatPath(issue.path, prefix), message: issue.message }));
