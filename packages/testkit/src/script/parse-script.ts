import type { z } from 'zod';
import type { ChaosOptions, FaultRule } from '../types';
import { optionsFileSchema, scriptSchema } from './script-schema';

/** Thrown when a script or options file does not validate; the message names every bad path. */
export class InvalidScriptError extends Error {
  /** One line per problem, each starting with its path, e.g. `[0].fault.dialect: Invalid option ...`. */
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid chaos script:\n  ${problems.join('\n  ')}`);
    this.name = 'InvalidScriptError';
    this.problems = problems;
  }
}

/** Renders a zod issue path the way it would be written in code: `[0].fault.dialect`. */
function formatPath(path: readonly PropertyKey[]): string {
  const text = path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
  return text.startsWith('.') ? text.slice(1) : text || '(root)';
}

function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
}

/**
 * Validates untrusted JSON (a script file, an HTTP body) as a fault script.
 *
 * @throws {InvalidScriptError} naming each bad path
 * @example
 * upstream.setScript(parseScript(JSON.parse(text)));
 */
export function parseScript(json: unknown): FaultRule[] {
  const result = scriptSchema.safeParse(json);
  if (!result.success) throw new InvalidScriptError(problemsOf(result.error));
  return result.data;
}

/**
 * Validates a script file for the CLI: either a bare rule list or an object of {@link ChaosOptions} fields.
 *
 * @throws {InvalidScriptError} naming each bad path
 */
export function parseOptionsFile(json: unknown): ChaosOptions {
  if (Array.isArray(json)) return { script: parseScript(json) };
  const result = optionsFileSchema.safeParse(json);
  if (!result.success) throw new InvalidScriptError(problemsOf(result.error));
  return result.data;
}
