import type { Priority } from '@detour/core';
import type { Context, MiddlewareHandler } from 'hono';

declare module 'hono' {
  interface ContextVariableMap {
    /** The admission class of the caller's gateway key, when the config gives it one. */
    keyPriority: Priority | undefined;
    /** The configured name of the caller's gateway key (never the key), when keys are configured. */
    keyName: string | undefined;
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

/** The key a caller presents in `Authorization: Bearer <key>` (the openai SDK, Anthropic's `authToken`), if any. */
const bearerKey = (authorization: string | undefined): string | undefined => {
  // The scheme is case-insensitive (RFC 9110 §11.1); the key itself is not.
  const bearer = /^bearer\s+(.+)$/i.exec((authorization ?? '').trim());
  return bearer ? bearer[1]!.trim() : undefined;
};

/**
 * Requires a gateway key, sent as `Authorization: Bearer <key>` (OpenAI clients) or `x-api-key: <key>` (Anthropic
 * clients, Claude Code with `ANTHROPIC_API_KEY`). Either header may carry it: a client that sends both passes when
 * one of them holds a gateway key. Every presented value is compared with every configured key, with no early exit,
 * in constant time. With no keys configured (only when explicitly allowed), every caller is let through. Neither
 * header is ever forwarded upstream.
 */
export const gatewayAuth = ({ keys, priorities = [], names = [], header = (context, name) => context.req.header(name) }: {
  keys: readonly string[];
  /** Each key's default admission class, by index. */
  priorities?: readonly (Priority | undefined)[];
  /** Each key's name, by index: what spend is accounted under. */
  names?: readonly string[];
  /** Reads a request header; the Node entry reads Node's request directly instead of building a Web one. */
  header?: (context: Context, name: string) => string | undefined;
}): MiddlewareHandler => {
  const encodedKeys = keys.map((key) => encoder.encode(key));
  return async function gatewayAuth(context, next) {
    if (encodedKeys.length > 0) {
      const authorization = header(context, 'authorization');
      const apiKey = header(context, 'x-api-key')?.trim();
      // Always two comparisons per key, whichever headers came: the time says nothing about which was sent.
      const presented = [encoder.encode(bearerKey(authorization) ?? ''), encoder.encode(apiKey ?? '')];
      let matched = false;
      let priority: Priority | undefined;
      let name: string | undefined;
      for (const [index, key] of encodedKeys.entries()) {
        let equal = false;
        for (const candidate of presented) {
          const same = constantTimeEqual(candidate, key);
          equal = equal || same;
        }
        // Every key is still compared: the match only picks which class to remember.
        if (equal && !matched) {
          priority = priorities[index];
          name = names[index];
        }
        matched = matched || equal;
      }
      context.set('keyPriority', priority);
      context.set('keyName', name);
      if (!matched) {
        throw new GatewayError(
          'unauthorized',
          authorization || apiKey ? 'Invalid gateway key.' : 'Missing gateway key: send it as "Authorization: Bearer <key>" or "x-api-key: <key>".',
        );
      }
    }
    await next();
  };
};
