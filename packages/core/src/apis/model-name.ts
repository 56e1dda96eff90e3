/**
 * The longest model name a request may carry, as the gateway allows. Each name a router sees is a key of several
 * bounded caches (serving endpoints, prices, cooldowns, quota pairs): they bound how many names they keep, and this
 * bounds how large each is. Provider model names are well under 100 characters.
 */
export const maxModelNameLength = 256;

/**
 * The model an answer names (a Responses object's `model`, which prices a request that named none), when it could be
 * a model's name: a non-empty string no longer than a request may name. An upstream that sends anything else names
 * no model: each name priced is a key of the price book's cache, and a megabyte-long one a thousand times over held
 * a gigabyte (attack 23).
 */
export const answeredModelName = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' && value.length <= maxModelNameLength ? value : undefined;
