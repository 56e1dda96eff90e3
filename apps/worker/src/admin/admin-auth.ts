import type { MiddlewareHandler } from 'hono';
import { constantTimeEqual } from '../middleware/gateway-auth';

const encoder = new TextEncoder();

/**
 * The key a request presents: `Authorization: Bearer <key>` (the CLI, scripts) or HTTP Basic's password (browsers).
 * Credentials are one token: `Bearer <key> more` presents nothing (a split keeping the first two words accepted it).
 */
const presentedKey = (authorization: string | undefined): string => {
  const [scheme = '', value = '', extra] = (authorization ?? '').trim().split(/\s+/, 3);
  if (extra !== undefined) return '';
  if (/^bearer$/i.test(scheme)) return value;
  if (!/^basic$/i.test(scheme)) return '';
  try {
    const decoded = atob(value);
    // Any user name: the password is the key.
    return decoded.slice(decoded.indexOf(':') + 1);
  } catch {
    return '';
  }
};

/**
 * Guards the operator's routes with the admin key, compared in constant time. A browser without it is asked for it
 * (HTTP Basic, any user name, the key as password); anyone else gets 401 and nothing more.
 */
export const adminAuth = (adminKey: string): MiddlewareHandler => {
  const expected = encoder.encode(adminKey);
  return async function adminAuth(context, next) {
    const authorization = context.req.header('authorization');
    if (constantTimeEqual(encoder.encode(presentedKey(authorization)), expected)) return next();
    return context.json(
        { error: { code: 'unauthorized', message: authorization ? 'Invalid admin key.' : 'Missing admin key: send it as "Authorization: Bearer <key>" or as the password of HTTP Basic.' } },
        401,
        { 'www-authenticate': 'Basic realm="Detour admin", charset="UTF-8"', 'cache-control': 'no-store' },
      );
  };
};
