import { InvalidOptionsError } from '@detour/core';
import { describe, expect, it } from 'vitest';
import { configFromBinding } from '../src/workers/config-binding';

// What the Workers entry makes of its DETOUR_CONFIG binding (attack 21, F2): wrangler binds a `[vars]` table as an
// object, and a Worker deployed without the var has none. Both were logged as JavaScript's own TypeErrors.
describe('configFromBinding', () => {
  const issue = (binding: unknown) => {
    try {
      configFromBinding(binding);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidOptionsError);
      return (error as Error).message;
    }
    return 'accepted';
  };

  it('parses JSON text and takes an object as the config itself', () => {
    expect(configFromBinding('{"gatewayKeys":["g"]}')).toEqual({ gatewayKeys: ['g'] });
    const table = { gatewayKeys: ['g'], endpoints: [] };
    expect(configFromBinding(table)).toBe(table);
  });

  it('names a missing, empty or mistyped binding, and a syntax error by place only', () => {
    expect(issue(undefined)).toMatch(/DETOUR_CONFIG: is not set: bind the gateway config/);
    expect(issue('')).toMatch(/DETOUR_CONFIG: is set but empty/);
    expect(issue(42)).toMatch(/DETOUR_CONFIG: is a number; it must be the config as JSON text or as an object/);
    const message = issue('{"apiKey": sk-LEAKME}');
    expect(message).toMatch(/DETOUR_CONFIG: not valid JSON at line 1, column 12/);
    expect(message).not.toContain('LEAKME');
  });
});
