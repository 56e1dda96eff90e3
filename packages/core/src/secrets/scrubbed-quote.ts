import type { Scrub } from './secret-scrubber';

/** How much of an upstream's own words an error Detour writes quotes. */
export const maxQuotedChars = 1000;

/**
 * `text` scrubbed, then shortened to {@link maxQuotedChars}: shortened first, a key cut in two would no longer read
 * as one to the scrubber, yet most of it would still be there.
 */
export const scrubbedQuote = (text: string, scrub: Scrub): string => {
  const clean = scrub(text);
  return clean.length > maxQuotedChars ? `${clean.slice(0, maxQuotedChars)}…` : clean;
};
