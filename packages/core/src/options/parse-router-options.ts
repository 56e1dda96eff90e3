import { InvalidOptionsError } from '../errors/invalid-options-error';
import { routerOptionsSchema, type RouterOptions, type RouterOptionsInput } from './router-options-schema';
import { redactOnInspection } from './redact-on-inspection';
import { toIssues } from './to-issues';

/**
 * Parses router options once, at the boundary: the result is frozen and fully defaulted, and internal code trusts
 * it. Bad input throws {@link InvalidOptionsError} naming every bad field (`endpoints[2].weight: …`). Logging the
 * result (`JSON.stringify`, `console.log`) shows every credential as `[redacted]`.
 */
export const parseRouterOptions = (input: RouterOptionsInput): RouterOptions => {
  const parsed = routerOptionsSchema.safeParse(input);
  if (!parsed.success) throw new InvalidOptionsError(toIssues(parsed.error), 'router options');
  const options = redactOnInspection(parsed.data);
  for (const endpoint of options.endpoints) Object.freeze(endpoint);
  return Object.freeze(options);
};
