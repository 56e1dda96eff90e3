import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { describeConfig } from '../src/node/describe-config';

const base = { endpoints: [{ name: 'primary', baseUrl: 'https://primary.example/v1', apiKey: 'sk-upstream' }], gatewayKeys: ['gk-caller'] };
const issuesOf = (input: unknown, env = {}) => {
  try {
    loadConfig(input, env);
  } catch (error) {
    return (error as { issues: { path: string; message: string }[] }).issues;
  }
  return [];
};

describe('the admin key and gateway key names in the config', () => {
  it('is off unless configured, read inline, from a named variable, or from DETOUR_ADMIN_KEY', () => {
    expect(loadConfig(base, {}).adminKey).toBeUndefined();
    expect(loadConfig({ ...base, admin: { key: 'inline-admin' } }, {}).adminKey).toBe('inline-admin');
    expect(loadConfig({ ...base, admin: { key: { env: 'OPS_KEY' } } }, { OPS_KEY: 'from-env' }).adminKey).toBe('from-env');
    expect(loadConfig(base, { DETOUR_ADMIN_KEY: 'fallback' }).adminKey).toBe('fallback');
    // The config wins over the fallback variable.
    expect(loadConfig({ ...base, admin: { key: 'inline-admin' } }, { DETOUR_ADMIN_KEY: 'fallback' }).adminKey).toBe('inline-admin');
  });

  it('says whether the dashboard is on in --check, never showing the key', () => {
    expect(describeConfig(loadConfig(base, {}), 'detour.json')).toContain('dashboard: off (no admin key)');
    // Whom traces trust, as an operator checks a config (attack 21's review): a caller's traceparent decides sampling.
    expect(describeConfig(loadConfig(base, {}), 'detour.json')).toContain("tracing: auto (callers' traceparent joined)");
    expect(describeConfig(loadConfig({ ...base, tracing: 'otlp', traceContext: 'ignore' }, {}), 'detour.json')).toContain("tracing: otlp (callers' traceparent ignored)");
    expect(describeConfig(loadConfig({ ...base, tracing: 'off' }, {}), 'detour.json')).toMatch(/^tracing: off$/m);
    const on = describeConfig(loadConfig({ ...base, admin: { key: 'admin-secret-value' } }, {}), 'detour.json');
    expect(on).toContain('dashboard: on');
    expect(on).not.toContain('admin-secret-value');
  });

  it('names what is wrong, never echoing a key', () => {
    expect(issuesOf({ ...base, admin: { key: { env: 'MISSING' } } })).toEqual([{ path: 'admin.key', message: 'environment variable MISSING is not set' }]);
    expect(issuesOf({ ...base, admin: { key: 'gk-caller' } })).toEqual([{ path: 'admin.key', message: 'must differ from every gateway key' }]);
    expect(issuesOf({ ...base, admin: { key: '' } })[0]?.path).toBe('admin.key');
    expect(issuesOf({ ...base, admin: { key: 'x', extra: 1 } })[0]?.path).toBe('admin');
    // A blank key let anyone in with `Basic base64("anyone: ")`; a padded one was never matched.
    expect(issuesOf({ ...base, admin: { key: ' ' } })).toEqual([{ path: 'admin.key', message: 'the key starts or ends with whitespace (or is only whitespace)' }]);
    expect(issuesOf({ ...base, gatewayKeys: [' gk-padded '] })).toEqual([{ path: 'gatewayKeys[0]', message: 'the key starts or ends with whitespace (or is only whitespace)' }]);
    const padded = issuesOf({ ...base, endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: { env: 'PADDED' } }] }, { PADDED: 'sk-a-0123456789\n' });
    expect(padded).toEqual([{ path: 'endpoints[0].apiKey', message: 'environment variable PADDED starts or ends with whitespace (or is only whitespace)' }]);
    expect(JSON.stringify(padded)).not.toContain('sk-a-0123456789');
  });

  // The sixth attack: keys no header can carry, or no Bearer token can hold, were accepted and never matched.
  it('refuses gateway and admin keys that no request could present, never echoing them', () => {
    const message = 'expected printable ASCII without spaces: a key sent as "Authorization: Bearer <key>" can hold nothing else';
    expect(issuesOf({ ...base, admin: { key: 'ädmin-ключ' } })).toEqual([{ path: 'admin.key', message }]);
    expect(issuesOf({ ...base, admin: { key: 'adm key with spaces' } })).toEqual([{ path: 'admin.key', message }]);
    expect(issuesOf(base, { DETOUR_ADMIN_KEY: 'ops\tkey' })).toEqual([{ path: 'DETOUR_ADMIN_KEY', message }]);
    const gateway = issuesOf({ ...base, gatewayKeys: ['gk ok', { key: 'gk-ü' }] });
    expect(gateway).toEqual([{ path: 'gatewayKeys[0]', message }, { path: 'gatewayKeys[1].key', message }]);
    expect(JSON.stringify(gateway)).not.toContain('gk-ü');
  });

  it('refuses a __proto__ key anywhere, where validation would drop it without a word', () => {
    const input = JSON.parse(`{"endpoints":[{"name":"a","baseUrl":"https://a.example/v1","__proto__":{"priority":3}}],"gatewayKeys":["gk-caller"],"router":{"__proto__":{"maxAttempts":1}}}`);
    expect(issuesOf(input)).toEqual([
      { path: 'endpoints[0].__proto__', message: 'unknown key "__proto__"' },
      { path: 'router.__proto__', message: 'unknown key "__proto__"' },
    ]);
    expect(({} as Record<string, unknown>).maxAttempts).toBeUndefined();
  });

  it('names gateway keys by their name, else by their position, and refuses two keys with one name', () => {
    const config = loadConfig({ ...base, gatewayKeys: ['gk-a', { key: 'gk-b', name: 'team-b' }, { key: 'gk-c', priority: 'low' }] }, {});
    expect(config.gatewayKeyNames).toEqual(['key-0', 'team-b', 'key-2']);
    expect(config.gatewayKeyPriorities).toEqual([undefined, undefined, 'low']);
    expect(issuesOf({ ...base, gatewayKeys: [{ key: 'gk-a', name: 'same' }, { key: 'gk-b', name: 'same' }] })).toEqual([
      { path: 'gatewayKeys[1].name', message: '"same" names another gateway key already' },
    ]);
    expect(issuesOf({ ...base, gatewayKeys: [{ key: 'gk-a', name: 'has spaces' }] })[0]?.path).toBe('gatewayKeys[0].name');
  });
});
