import { describe, expect, it } from 'vitest';
import { createRouter } from '../engine/router';
import { InvalidOptionsError } from '../errors/invalid-options-error';
import { parseRouterOptions } from './parse-router-options';

const endpoints = [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-secret-key-123456' }];

describe('parseRouterOptions on options it parsed before', () => {
  it('returns them as they are, so a router built from a config keeps one copy of its endpoints', () => {
    const parsed = parseRouterOptions({ endpoints, maxAttempts: 3 });
    expect(parseRouterOptions(parsed)).toBe(parsed);
    const router = createRouter(parsed, { transport: async () => ({ status: 200, headers: {}, body: (async function* () {})(), cancel() {} }) });
    expect(router.options).toBe(parsed);
    expect(router.options.endpoints[0]).toBe(parsed.endpoints[0]);
  });

  it('still parses a copy of them, and anything else, afresh', () => {
    const parsed = parseRouterOptions({ endpoints });
    // A spread is new input: checked again, and found valid.
    expect(parseRouterOptions({ ...parsed, maxAttempts: 2 }).maxAttempts).toBe(2);
    expect(() => parseRouterOptions({ ...parsed, maxAttempts: 0 })).toThrow(InvalidOptionsError);
  });

  it('are frozen all the way down, so a nested field cannot be changed past the checks', () => {
    const parsed = parseRouterOptions({ endpoints: [{ ...endpoints[0]!, headers: { 'x-title': 'app' } }], breaker: { consecutiveFailures: 5 } });
    expect(() => {
      (parsed.breaker as { consecutiveFailures: number }).consecutiveFailures = -1;
    }).toThrow(TypeError);
    expect(() => {
      (parsed.endpoints[0]!.headers as Record<string, string>)['x-title'] = 'other';
    }).toThrow(TypeError);
    expect(() => {
      (parsed.endpoints as unknown as unknown[]).push({});
    }).toThrow(TypeError);
    expect(parsed.breaker.consecutiveFailures).toBe(5);
  });
});

describe('an API key in quotes (attack 19)', () => {
  it('is refused with the path and what to do, where it was sent with its quotes and disabled the endpoint for an hour', () => {
    for (const apiKey of ['"sk-proj-abc123"', "'sk-proj-abc123'"]) {
      let error: InvalidOptionsError | undefined;
      try {
        parseRouterOptions({ endpoints: [{ name: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey }] });
      } catch (caught) {
        error = caught as InvalidOptionsError;
      }
      expect(error).toBeInstanceOf(InvalidOptionsError);
      expect(error!.issues).toEqual([expect.objectContaining({ path: 'endpoints[0].apiKey', message: expect.stringContaining('remove the quotes') })]);
      expect(error!.message).not.toContain('abc123');
    }
    // A quote inside a key, or only at one end, is the key's own.
    expect(() => parseRouterOptions({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-"x"-1' }] })).not.toThrow();
  });
});
