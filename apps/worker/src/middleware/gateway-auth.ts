import type { Priority } from '@detour/core';
import type { Context, MiddlewareHandler } from 'hono';

declare module 'hono' {
  interface ContextVariableMap {
    /** The admission class of the caller's gateway key, when the config gives it one. */
    keyPriority: Priority | undefined;
  }
}
import { GatewayError } from './gateway-error';

const encoder = new TextEncoder();

/**
 * Compares two byte strings in time that depends only on their lengths, never on where they first differ, so a
 * caller cannot find a key byte by byte from response times.
 */
export const constantTimeEqual = (left: Uint8Array, right: Uint8Array): boolean => {
  const length = Math.max(left.length, right.length);
  let difference = left.length ^ right.length;
  for (let index = 0; index < length; index += 1) difference |= (left[index] ?? 0) ^ (right[index] ?? 0);
  return difference === 0;
};

/**
 * Requires `Authorization: Bearer <gateway key>`. Every configured key is compared, with no early exit, in constant
 * time. With no keys configured (only when explicitly allowed), every caller is let through.
 */
export const gatewayAuth = ({ keys, priorities = [], header = (context, name) => context.req.header(name) }: {
  keys: readonly string[];
  /** Each key's default admission class, by index. */
  priorities?: readonly (Priority | undefined)[];
  /** Reads a request header; the Node entry reads Node's request directly instead of building a Web one. */
  header?: (context: Context, name: string) => string | undefined;
}): MiddlewareHandler => {
  const encodedKeys = keys.map((key) => encoder.encode(key));
  return async function gatewayAuth(context, next) {
    if (encodedKeys.length > 0) {
      const authorization = header(context, 'authorization') ?? '';
      // The scheme is case-insensitive (RFC 9110 §11.1); the key itself is not.
      const bearer = /^bearer\s+(.+)$/i.exec(authorization.trim());
      const presented = encoder.encode(bearer ? bearer[1]!.trim() : '');
      let matched = false;
      let priority: Priority | undefined;
      for (const [index, key] of encodedKeys.entries()) {
        const equal = constantTimeEqual(presented, key);
        // Every key is still compared: the match only picks which class to remember.
        if (equal && !matched) priority = priorities[index];
        matched = matched || equal;
      }
      context.set('keyPriority', priority);
      if (!matched) {
        throw new GatewayError('unauthorized', authorization ? 'Invalid gateway key.' : 'Missing gateway key: send it as "Authorization: Bearer <key>".');
      }
    }
    await next();
  };
};
