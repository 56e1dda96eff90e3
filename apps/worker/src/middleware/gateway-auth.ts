import type { Priority } from '@detour/core';
import type { Context } from 'hono';
import { GatewayError } from './gateway-error';

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
 * {@link constantTimeEqual} for strings, by UTF-16 code unit: the same guarantee without encoding each presented key
 * into bytes on every request.
 */
export const constantTimeEqualText = (left: string, right: string): boolean => {
  const length = Math.max(left.length, right.length);
  let difference = left.length ^ right.length;
  for (let index = 0; index < length; index += 1) {
    // Past the end of the shorter one, compare with 0 (as the byte version does): no early exit, no branch on content.
    difference |= (index < left.length ? left.charCodeAt(index) : 0) ^ (index < right.length ? right.charCodeAt(index) : 0);
  }
  return difference === 0;
};

/** The key a caller presents in `Authorization: Bearer <key>` (the openai SDK, Anthropic's `authToken`), if any. */
const bearerKey = (authorization: string | undefined): string | undefined => {
  // The scheme is case-insensitive (RFC 9110 §11.1); the key itself is not.
  const bearer = /^bearer\s+(.+)$/i.exec((authorization ?? '').trim());
  return bearer ? bearer[1]!.trim() : undefined;
};

/** Who a request's gateway key names: the key's admission class and name, as configured (never the key itself). */
export interface GatewayCaller {
  /** The key's default admission class, when the config gives it one. */
  readonly priority: Priority | undefined;
  /** The key's configured name (what spend is accounted under), when keys are configured. */
  readonly name: string | undefined;
}

/** Checks a request's gateway key: the caller it names, or a `GatewayError` (`unauthorized`) thrown. */
export type Authenticate = (context: Context) => GatewayCaller;

const anyone: GatewayCaller = { priority: undefined, name: undefined };

/**
 * Requires a gateway key, sent as `Authorization: Bearer <key>` (OpenAI clients) or `x-api-key: <key>` (Anthropic
 * clients, Claude Code with `ANTHROPIC_API_KEY`). Either header may carry it: a client that sends both passes when
 * one of them holds a gateway key. Every presented value is compared with every configured key, with no early exit,
 * in constant time. With no keys configured (only when explicitly allowed), every caller is let through. Neither
 * header is ever forwarded upstream.
 *
 * A function each route calls, not middleware: a Hono route with one handler is dispatched directly, where a
 * middleware in front of it makes Hono compose the two, with a chain of suspended async frames per request for as
 * long as the request waits on its upstream. The callers are made once, so a request allocates nothing here.
 */
export const gatewayAuthenticator = ({ keys, priorities = [], names = [], header = (context, name) => context.req.header(name) }: {
  keys: readonly string[];
  /** Each key's default admission class, by index. */
  priorities?: readonly (Priority | undefined)[];
  /** Each key's name, by index: what spend is accounted under. */
  names?: readonly string[];
  /** Reads a request header; the Node entry reads Node's request directly instead of building a Web one. */
  header?: (context: Context, name: string) => string | undefined;
}): Authenticate => {
  const callers: readonly GatewayCaller[] = keys.map((_, index) => ({ priority: priorities[index], name: names[index] }));
  return function authenticate(context) {
    if (keys.length === 0) return anyone;
    const authorization = header(context, 'authorization');
    const apiKey = header(context, 'x-api-key')?.trim();
    // Always two comparisons per key, whichever headers came: the time says nothing about which was sent.
    const bearer = bearerKey(authorization) ?? '';
    const presentedKey = apiKey ?? '';
    let matched = -1;
    for (let index = 0; index < keys.length; index += 1) {
      const key = keys[index]!;
      const byBearer = constantTimeEqualText(bearer, key);
      const byApiKey = constantTimeEqualText(presentedKey, key);
      // Every key is still compared: the first match only picks which caller to answer.
      if ((byBearer || byApiKey) && matched < 0) matched = index;
    }
    if (matched < 0) {
      throw new GatewayError(
        'unauthorized',
        authorization || apiKey ? 'Invalid gateway key.' : 'Missing gateway key: send it as "Authorization: Bearer <key>" or "x-api-key: <key>".',
      );
    }
    return callers[matched]!;
  };
};
