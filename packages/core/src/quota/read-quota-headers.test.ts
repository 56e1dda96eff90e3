import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readQuotaHeaders } from './read-quota-headers';

describe('readQuotaHeaders', () => {
  it('reads OpenAI and Groq headers, resets as Go durations whatever is left', () => {
    expect(
      readQuotaHeaders({
        'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '59', 'x-ratelimit-reset-requests': '1s',
        'x-ratelimit-limit-tokens': '150000', 'x-ratelimit-remaining-tokens': '149984', 'x-ratelimit-reset-tokens': '6m0s',
      }, 0),
    ).toEqual({
      requests: { remaining: 59, limit: 60, resetMs: 1000 },
      tokens: { remaining: 149_984, limit: 150_000, resetMs: 360_000 },
    });
  });

  it('reads Anthropic input and output tokens apart, resets measured from Date', () => {
    const observation = readQuotaHeaders({
      date: 'Thu, 21 Aug 2025 12:40:59 GMT',
      'anthropic-ratelimit-input-tokens-limit': '40000', 'anthropic-ratelimit-input-tokens-remaining': '39000',
      'anthropic-ratelimit-input-tokens-reset': '2025-08-21T12:41:00Z',
      'anthropic-ratelimit-output-tokens-limit': '8000', 'anthropic-ratelimit-output-tokens-remaining': '8000',
      'anthropic-ratelimit-output-tokens-reset': '2025-08-21T12:40:59Z',
    }, 0);
    expect(observation['input-tokens']).toEqual({ remaining: 39_000, limit: 40_000, resetMs: 1000 });
    expect(observation['output-tokens']).toEqual({ remaining: 8000, limit: 8000, resetMs: 0 });
  });

  it('reads IETF RateLimit policies with RateLimit-Policy as requests and tokens, each with its quota', () => {
    const headers = {
      ratelimit: '"requests";r=0;t=60, "tokens";r=900;t=1',
      'ratelimit-policy': '"requests";q=1800;w=60, "tokens";q=900000;w=60',
    };
    expect(readQuotaHeaders(headers, 0)).toEqual({
      requests: { remaining: 0, limit: 1800, resetMs: 60_000 },
      tokens: { remaining: 900, limit: 900_000, resetMs: 1000 },
    });
    // A quota unit that is neither requests nor tokens is not modelled; the window stands in for a missing t.
    expect(readQuotaHeaders({ ratelimit: '"a";r=3, "b";r=1;t=2', 'ratelimit-policy': '"a";q=10;w=30, "b";q=5;qu="content-bytes"' }, 0))
      .toEqual({ requests: { remaining: 3, limit: 10, resetMs: 30_000 } });
  });

  it('reads IETF RateLimit as requests, and ignores it on a cached answer', () => {
    expect(readQuotaHeaders({ ratelimit: '"default";r=5;t=30' }, 0)).toEqual({ requests: { remaining: 5, limit: undefined, resetMs: 30_000 } });
    expect(readQuotaHeaders({ ratelimit: '"default";r=5;t=30', age: '3' }, 0)).toEqual({});
  });

  it("treats Azure's -1 and 0/0 sentinels as unknown", () => {
    expect(readQuotaHeaders({ 'x-ratelimit-remaining-tokens': '-1' }, 0)).toEqual({});
    expect(readQuotaHeaders({ 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '0' }, 0).tokens?.resetMs).toBeUndefined();
  });

  it('never throws and never yields a negative or non-finite figure', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('x-ratelimit-remaining-tokens', 'x-ratelimit-limit-tokens', 'x-ratelimit-reset-tokens', 'ratelimit', 'anthropic-ratelimit-requests-remaining', 'anthropic-ratelimit-requests-reset', 'date'), fc.string()), (headers) => {
        const observation = readQuotaHeaders(headers, 1_700_000_000_000);
        return Object.values(observation).every((reading) =>
          reading !== undefined && Number.isFinite(reading.remaining) && reading.remaining >= 0 && (reading.resetMs === undefined || (Number.isFinite(reading.resetMs) && reading.resetMs >= 0)));
      }),
    );
  });
});
