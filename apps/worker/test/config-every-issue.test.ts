import { InvalidOptionsError } from '@detour/core';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config';

const endpoint = { name: 'a', baseUrl: 'https://a.example/v1' };

/** The paths a config is refused for, in the order the error lists them. */
const refusedPaths = (config: unknown, env: Record<string, string> = {}): string[] => {
  try {
    loadConfig(config, env);
  } catch (error) {
    if (error instanceof InvalidOptionsError) return error.issues.map((issue) => issue.path);
    throw error;
  }
  throw new Error('the config loaded');
};

describe('a bad config names every bad field in one run', () => {
  it('runs the endpoint, key and router checks even when the gateway\'s own fields are wrong', () => {
    // Each of these hid the issues after it: an operator fixed one field per run.
    expect(refusedPaths({ routr: {}, gatewayKeys: ['g'], endpoints: [{ ...endpoint, apikey: 'x' }] })).toEqual(['', 'endpoints[0]']);
    expect(refusedPaths({
      maxBodyBytes: 'big', store: { redis: 'http://x' }, gatewayKeys: ['g'], endpoints: [{ ...endpoint, headers: { 'x-custom': 1 }, models: [] }],
    })).toEqual(['maxBodyBytes', 'store.redis', 'endpoints[0].models', 'endpoints[0].headers.x-custom']);
    expect(refusedPaths({ gatewayKeys: [5], endpoints: [{ ...endpoint, query: { a: 1 } }] })).toEqual(['gatewayKeys[0]', 'endpoints[0].query.a']);
    expect(refusedPaths({ admin: { key: '' }, gatewayKeys: ['g'], endpoints: [{ ...endpoint, apiKey: { env: 'KEY' } }] }, { KEY: 'sk-a\nb' }))
      .toEqual(['admin.key', 'endpoints[0].apiKey']);
    expect(refusedPaths({ gatewayKeys: ['g'], endpoints: [5, { name: 'b', baseUrl: 'ftp://x' }], router: { maxAttempts: 99, bogus: 1 } }))
      .toEqual(['endpoints[0]', 'endpoints[1].baseUrl', 'router.maxAttempts', 'router']);
  });

  it('names a field once, never again for what follows from it, and never a secret', () => {
    expect(refusedPaths({ gatewayKeys: ['g'], endpoints: 'x', router: { maxAttempts: 99 } })).toEqual(['endpoints']);
    expect(refusedPaths([1, 2])).toEqual(['']);
    const config = { gatewayKeys: ['g'], endpoints: [{ ...endpoint, apiKey: { env: 'KEY' } }] };
    expect(() => loadConfig(config, { KEY: '' })).toThrow(/endpoints\[0\]\.apiKey: environment variable KEY is set but empty/);
    expect(() => loadConfig(config, {})).toThrow(/endpoints\[0\]\.apiKey: environment variable KEY is not set/);
    // A Worker's var bound as a number or a table is set, only not text (attack 21, F2): it was called "not set".
    expect(() => loadConfig(config, { KEY: 12345 })).toThrow(/endpoints\[0\]\.apiKey: environment variable KEY is set, but to a number rather than text/);
    expect(() => loadConfig(config, { KEY: { value: 'sk-x' } })).toThrow(/environment variable KEY is set, but to an object rather than text/);
    expect(() => loadConfig(config, { KEY: ['sk-x'] })).toThrow(/environment variable KEY is set, but to an array rather than text/);
    // The admin key's own variable too: bound to a number, the admin routes stayed off without a word.
    expect(() => loadConfig(config, { KEY: 'sk-x', DETOUR_ADMIN_KEY: 12345 })).toThrow(/DETOUR_ADMIN_KEY: environment variable DETOUR_ADMIN_KEY is set, but to a number rather than text/);
    const message = (() => {
      try {
        loadConfig({ gatewayKeys: ['gateway-secret'], admin: 7, endpoints: [{ ...endpoint, apiKey: 'sk-…secret-value', weight: -1 }] }, {});
      } catch (error) {
        return (error as Error).message;
      }
      return 'loaded';
    })();
    expect(message).toMatch(/admin: .*\n.*endpoints\[0\]\.apiKey: expected printable ASCII without spaces.*\n.*endpoints\[0\]\.weight/);
    expect(message).not.toMatch(/secret/);
  });
});
