import { createSecretScrubber, endpointSecrets } from '../secrets/secret-scrubber';
import type { RouterOptions } from './router-options-schema';

// Node's `util.inspect` (and so `console.log`) asks objects for this; core names it by its registered symbol rather
// than importing `node:util`.
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/** A deep copy in which every credential the endpoints carry reads `[redacted]`. */
const redactedCopy = (value: unknown, scrub: (text: string) => string): unknown => {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((item) => redactedCopy(item, scrub));
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = redactedCopy(item, scrub);
  return copy;
};

/**
 * Makes parsed options safe to log: `JSON.stringify` and `util.inspect` (hence `console.log`, and loggers built on
 * them) see a copy with every API key and credential-like header or query value redacted. Code that reads a field
 * directly still gets the real value; nothing is copied on the hot path. The hooks are non-enumerable, so spreads
 * and `Object.keys` do not see them.
 */
export const redactOnInspection = (options: RouterOptions): RouterOptions => {
  const scrub = createSecretScrubber(endpointSecrets(options.endpoints));
  const hide = (target: object) => {
    // Options parsed before (a router built from another's `options`) are frozen and already carry the hooks.
    if (!Object.isExtensible(target)) return;
    const view = () => redactedCopy({ ...target }, scrub);
    Object.defineProperty(target, 'toJSON', { value: view, enumerable: false });
    Object.defineProperty(target, inspectSymbol, { value: view, enumerable: false });
  };
  for (const endpoint of options.endpoints) hide(endpoint);
  hide(options);
  return options;
};
