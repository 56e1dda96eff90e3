import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readProviderSignals } from './read-provider-signals';

const nowMs = Date.parse('2025-08-21T12:40:59Z');

// Worked examples of real provider answers, one by one.
describe('readProviderSignals on the reference examples', () => {
  it('1: OpenAI x-ratelimit-reset-tokens 6m0s is 360000 ms once tokens are exhausted', () => {
    const signals = readProviderSignals({ headers: { 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '6m0s' }, nowMs });
    expect(signals.dimensions.tokens?.resetMs).toBe(360_000);
    expect(signals.delayMs).toBe(360_000);
    expect(signals.delaySource).toBe('rate-limit-reset');
  });

  it('2: Groq x-ratelimit-reset-requests 2m59.56s is 179560 ms', () => {
    const signals = readProviderSignals({ headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '2m59.56s' }, nowMs });
    expect(signals.delayMs).toBe(179_560);
    expect(signals.exhausted).toEqual(['requests']);
  });

  it('3: an HTTP-date Retry-After is measured from the response Date', () => {
    const signals = readProviderSignals({
      headers: { 'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT', Date: 'Wed, 21 Oct 2015 07:27:30 GMT' },
      nowMs,
    });
    expect(signals.delayMs).toBe(30_000);
  });

  it('4: retry-after-ms wins over retry-after', () => {
    expect(readProviderSignals({ headers: { 'retry-after-ms': '2500', 'retry-after': '10' }, nowMs }).delayMs).toBe(2500);
  });

  it('5: a long Retry-After is read as is (the cap is the engine\'s decision)', () => {
    expect(readProviderSignals({ headers: { 'retry-after': '90' }, nowMs }).delayMs).toBe(90_000);
  });

  it('6: Anthropic RFC 3339 resets are measured from Date', () => {
    const signals = readProviderSignals({
      headers: {
        'anthropic-ratelimit-requests-remaining': '0',
        'anthropic-ratelimit-requests-reset': '2025-08-21T12:41:00Z',
        date: 'Thu, 21 Aug 2025 12:40:59 GMT',
      },
      nowMs: nowMs + 5000, // a skewed local clock does not matter
    });
    expect(signals.delayMs).toBe(1000);
    expect(signals.exhausted).toEqual(['anthropic:requests']);
  });

  it('7: Retry-After takes precedence over IETF RateLimit', () => {
    const signals = readProviderSignals({ headers: { RateLimit: '"default";r=0;t=10', 'Retry-After': '20' }, nowMs });
    expect(signals.delayMs).toBe(20_000);
    expect(signals.exhausted).toContain('ietf');
  });

  it('8: OpenRouter epoch-ms resets inside the 429 body', () => {
    const reset = Date.parse('2025-03-07T00:00:00Z');
    const body = {
      error: {
        code: 429, message: 'Rate limit exceeded: free-models-per-day',
        metadata: { headers: { 'X-RateLimit-Limit': '50', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(reset) } },
      },
    };
    const at = reset - 3_600_000;
    const signals = readProviderSignals({ headers: {}, body: JSON.stringify(body), nowMs: at });
    expect(signals.delayMs).toBe(3_600_000);
    expect(signals.delaySource).toBe('body-reset');
  });

  it('9: Gemini retryDelay inside a JSON array body', () => {
    const body = [{
      error: {
        code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded',
        details: [
          { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaId: 'GenerateRequestsPerMinutePerProjectPerModel' }] },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '46s' },
        ],
      },
    }];
    const signals = readProviderSignals({ headers: {}, body, nowMs });
    expect(signals.delayMs).toBe(46_000);
    expect(signals.error?.quotaIds).toEqual(['GenerateRequestsPerMinutePerProjectPerModel']);
  });

  it('10: OpenAI "try again in" text', () => {
    const body = (wait: string) => ({ error: { message: `Rate limit reached for gpt-4.1. Please try again in ${wait}.`, type: 'requests', code: 'rate_limit_exceeded' } });
    expect(readProviderSignals({ headers: {}, body: body('84ms'), nowMs }).delayMs).toBe(84);
    expect(readProviderSignals({ headers: {}, body: body('1.146s'), nowMs }).delayMs).toBe(1146);
    // Microseconds with either mu (the micro sign and the Greek letter): escaped in the source, so the built file
    // stays Latin-1 (scripts/check-latin1-builds.mjs), and still read.
    expect(readProviderSignals({ headers: {}, body: body('1500\u03bcs'), nowMs }).delayMs).toBe(2);
    expect(readProviderSignals({ headers: {}, body: body('2500\u00b5s'), nowMs }).delayMs).toBe(3);
  });

  it('12: Azure -1 sentinels are unknown, neither exhausted nor "reset now"', () => {
    const signals = readProviderSignals({ headers: { 'x-ratelimit-remaining-tokens': '-1', 'x-ratelimit-reset-tokens': '0' }, nowMs });
    expect(signals.exhausted).toEqual([]);
    expect(signals.delayMs).toBeUndefined();
  });
});

describe('readProviderSignals', () => {
  it('reads a large plain reset as an instant (epoch ms or s), never as seconds to wait', () => {
    const at = 1_700_000_000_000;
    const headers = (reset: string) => ({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset });
    expect(readProviderSignals({ headers: headers(String(at + 30_000)), nowMs: at }).delayMs).toBe(30_000);
    expect(readProviderSignals({ headers: headers(String(at / 1000 + 30)), nowMs: at }).delayMs).toBe(30_000);
    expect(readProviderSignals({ headers: headers('30'), nowMs: at }).delayMs).toBe(30_000);
  });

  it('believes no server delay longer than a day', () => {
    expect(readProviderSignals({ headers: { 'retry-after': '99999999999' }, nowMs }).delayMs).toBe(86_400_000);
  });

  it('reads x-ms-retry-after-ms when retry-after-ms is invalid', () => {
    expect(readProviderSignals({ headers: { 'retry-after-ms': '-1', 'x-ms-retry-after-ms': '3000' }, nowMs }).delayMs).toBe(3000);
  });

  it('reads Azure\'s x-ms-retry-after-ms', () => {
    expect(readProviderSignals({ headers: { 'x-ms-retry-after-ms': '750' }, nowMs }).delayMs).toBe(750);
  });

  it('falls through an invalid source to the next valid one', () => {
    expect(readProviderSignals({ headers: { 'retry-after-ms': '-1', 'retry-after': '3' }, nowMs }).delayMs).toBe(3000);
  });

  it('ignores IETF fields on cached responses', () => {
    expect(readProviderSignals({ headers: { ratelimit: '"default";r=0;t=10', age: '5' }, nowMs }).exhausted).toEqual([]);
  });

  it('reads x-should-retry both ways', () => {
    expect(readProviderSignals({ headers: { 'x-should-retry': 'false' }, nowMs }).shouldRetry).toBe(false);
    expect(readProviderSignals({ headers: { 'X-Should-Retry': 'true' }, nowMs }).shouldRetry).toBe(true);
  });

  it('reads header names case-insensitively, and from Web Headers too', () => {
    const headers = new Headers({ 'Retry-After-Ms': '40' });
    expect(readProviderSignals({ headers, nowMs }).delayMs).toBe(40);
    expect(readProviderSignals({ headers: { 'RETRY-AFTER': '2' }, nowMs }).delayMs).toBe(2000);
  });

  it('never throws and never yields a negative, NaN or infinite delay, whatever the headers and body', () => {
    const headerNames = fc.constantFrom(
      'retry-after', 'retry-after-ms', 'x-ms-retry-after-ms', 'x-ratelimit-remaining-tokens', 'x-ratelimit-reset-tokens',
      'anthropic-ratelimit-requests-remaining', 'anthropic-ratelimit-requests-reset', 'ratelimit', 'date', 'age', 'x-should-retry',
    );
    fc.assert(
      fc.property(fc.dictionary(headerNames, fc.string()), fc.oneof(fc.string(), fc.jsonValue()), fc.integer({ min: 0, max: 4e12 }), (headers, body, at) => {
        const { delayMs } = readProviderSignals({ headers, body, nowMs: at });
        return delayMs === undefined || (Number.isFinite(delayMs) && delayMs >= 0);
      }),
    );
  });
});
