import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseRouterOptions } from './parse-router-options';

describe('parsed options on inspection', () => {
  const options = parseRouterOptions({
    endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-secret-key-123456', headers: { 'x-api-key': 'another-secret-99', 'x-team': 'blue' } }],
  });

  it('redacts keys and credential headers for JSON.stringify and util.inspect', () => {
    for (const text of [JSON.stringify(options), inspect(options, { depth: 5 }), JSON.stringify(options.endpoints[0])]) {
      expect(text).not.toContain('sk-secret-key-123456');
      expect(text).not.toContain('another-secret-99');
      expect(text).toContain('[redacted]');
      expect(text).toContain('blue');
    }
  });

  it('keeps the real values for code that reads them', () => {
    expect(options.endpoints[0]!.apiKey).toBe('sk-secret-key-123456');
    expect(Object.keys(options.endpoints[0]!)).not.toContain('toJSON');
  });
});
