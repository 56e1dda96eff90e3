import { InvalidOptionsError } from '@detour/core';
import { describeJsonSyntaxError } from '../config/json-syntax-error';

/**
 * The config a `DETOUR_CONFIG` binding holds: JSON text, parsed, or an object wrangler bound as it is (a `[vars]`
 * table). Anything else is named for what it is: a missing binding once read as "cannot read properties of
 * undefined", and an object as "text.slice is not a function".
 */
export const configFromBinding = (binding: unknown): unknown => {
  if (binding === undefined || binding === null) {
    throw new InvalidOptionsError([{ path: 'DETOUR_CONFIG', message: 'is not set: bind the gateway config as a var or secret named DETOUR_CONFIG' }], 'gateway config');
  }
  if (binding === '') throw new InvalidOptionsError([{ path: 'DETOUR_CONFIG', message: 'is set but empty' }], 'gateway config');
  if (typeof binding === 'object') return binding;
  if (typeof binding !== 'string') {
    throw new InvalidOptionsError([{ path: 'DETOUR_CONFIG', message: `is a ${typeof binding}; it must be the config as JSON text or as an object` }], 'gateway config');
  }
  try {
    return JSON.parse(binding);
  } catch (error) {
    throw new InvalidOptionsError([{ path: 'DETOUR_CONFIG', message: describeJsonSyntaxError(binding, (error as Error).message) }], 'gateway config');
  }
};
