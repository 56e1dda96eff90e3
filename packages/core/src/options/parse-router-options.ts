import { InvalidOptionsError } from '../errors/invalid-options-error';
import { pricesRule, routerOptionsRule } from './option-rules';
import type { RouterOptions, RouterOptionsInput } from './router-options-schema';
import { redactOnInspection } from './redact-on-inspection';
import { validate } from './rules';
import { toIssues } from './to-issues';

/** What {@link parseRouterOptions} returned: valid, defaulted and frozen already. */
const parsedOptions = new WeakSet<object>();

/**
 * Parses router options once, at the boundary: the result is frozen and fully defaulted, and internal code trusts
 * it. Bad input throws {@link InvalidOptionsError} naming every bad field (`endpoints[2].weight: …`). Logging the
 * result (`JSON.stringify`, `console.log`) shows every credential as `[redacted]`.
 */
export const parseRouterOptions = (input: RouterOptionsInput): RouterOptions => {
  // Options this parsed before pass as they are: a gateway parses its config's, then builds its router from them, and
  // a second parse copied every endpoint again (0.8 MiB and 20 ms for 1,000 of them), to be held beside the first.
  if (parsedOptions.has(input)) return input as RouterOptions;
  // routerOptionsSchema, compiled (option-rules.ts): the same checks and messages without zod's runtime.
  const parsed = validate<RouterOptions>(routerOptionsRule, input);
  // Price rows are the price book's to check; checked here as well, so that one error names every bad field (an
  // endpoint's issue used to hide a price row's until the next run).
  const prices = (input as { prices?: unknown }).prices;
  const pricesParsed = Array.isArray(prices) ? validate(pricesRule, prices) : undefined;
  if (!parsed.success || pricesParsed?.success === false) {
    const issues = [...(parsed.success ? [] : toIssues(parsed.error)), ...(pricesParsed?.success === false ? toIssues(pricesParsed.error, 'prices') : [])];
    throw new InvalidOptionsError(issues, 'router options');
  }
  const options = freezeDeep(redactOnInspection(parsed.data));
  parsedOptions.add(options);
  return options;
};

/**
 * Freezes the parsed options' plain objects and arrays all the way down: options passed back in are trusted as they
 * are (above), so a nested field changed after parsing (`breaker.consecutiveFailures = -1`, an endpoint's `headers`)
 * would skip the checks. Frozen, the change throws where it is made. Functions and class instances are left alone.
 */
const freezeDeep = <T>(value: T): T => {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  const prototype = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) return value;
  for (const item of Object.values(value)) freezeDeep(item);
  return Object.freeze(value);
};
