import { InvalidOptionsError } from '../errors/invalid-options-error';
import { routerOptionsSchema, type RouterOptions, type RouterOptionsInput } from './router-options-schema';
import { toIssues } from './to-issues';

/**
 * Parses router options once, at the boundary: the result is frozen and fully defaulted, and internal code trusts
 * it. Bad input throws {@link InvalidOptionsError} naming every bad field (`endpoints[2].weight: …`).
 */
export const parseRouterOptions = (input: RouterOptionsInput): RouterOptions => {
  const parsed = routerOptionsSchema.safeParse(input);
  if (!parsed.success) throw new InvalidOptionsError(toIssues(parsed.error), 'router options');
  return Object.freeze(parsed.data);
};
