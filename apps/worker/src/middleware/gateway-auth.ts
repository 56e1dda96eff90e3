import { createHash } from 'node:crypto';
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
 * in constant time; past 16 keys, it is looked up by its SHA-256 digest instead. With no keys configured (only when
 * explicitly allowed), every caller is let through. Neither header is ever forwarded upstream.
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
  const find = keys.length > scannedKeys ? findByDigest(keys) : findByScan(keys);
  return function authenticate(context) {
    if (keys.length === 0) return anyone;
    const authorization = header(context, 'authorization');
    const apiKey = header(context, 'x-api-key')?.trim();
    // Both values are always looked up, whichever headers came: the time says nothing about which was sent.
    const matched = find(bearerKey(authorization) ?? '', apiKey ?? '');
    if (matched < 0) {
      throw new GatewayError(
        'unauthorized',
        authorization || apiKey ? 'Invalid gateway key.' : 'Missing gateway key: send it as "Authorization: Bearer <key>" or "x-api-key: <key>".',
      );
    }
    return callers[matched]!;
  };
};

// Up to this many keys, each request compares with every one; past it, with a digest's lookup. A scan costs a
// comparison per key, and 5,000 keys (one per team or service, for spend) took 2 ms of CPU a request, for callers
// with a wrong key as much as for others: 386 requests a second where one key gave 2,135.
const scannedKeys = 16;

/** Finds the key either presented value is, by comparing with every key in constant time, with no early exit. */
const findByScan = (keys: readonly string[]) => (bearer: string, presentedKey: string): number => {
  let matched = -1;
  for (let index = 0; index < keys.length; index += 1) {
    const key = keys[index]!;
    const byBearer = constantTimeEqualText(bearer, key);
    const byApiKey = constantTimeEqualText(presentedKey, key);
    // Every key is still compared: the first match only picks which caller to answer.
    if ((byBearer || byApiKey) && matched < 0) matched = index;
  }
  return matched;
};

/**
 * Finds the key either presented value is by its SHA-256 digest, in a map of the keys' digests: the time depends on
 * neither the keys' number nor their content, and a lookup's timing tells a caller only about a digest, which it
 * cannot steer towards a key's. (`node:crypto` is Node's, and the Workers runtime's under `nodejs_compat`.)
 */
const findByDigest = (keys: readonly string[]) => {
  const digest = (text: string) => createHash('sha256').update(text).digest('base64');
  const indexOf = new Map<string, number>();
  keys.forEach((key, index) => {
    const keyDigest = digest(key);
    if (!indexOf.has(keyDigest)) indexOf.set(keyDigest, index);
  });
  return (bearer: string, presentedKey: string): number => {
    const byBearer = indexOf.get(digest(bearer)) ?? -1;
    const byApiKey = indexOf.get(digest(presentedKey)) ?? -1;
    // The first configured of the two, as the scan finds it.
    return byBearer < 0 ? byApiKey : byApiKey < 0 ? byBearer : Math.min(byBearer, byApiKey);
  };
};
