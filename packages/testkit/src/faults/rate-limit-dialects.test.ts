import { describe, expect, it } from 'vitest';
import { chat, startUpstream } from '../../test/http';
import type { Fault, RateLimitDialect } from '../types';

/** A fixed instance clock: 2025-08-21T12:40:59Z. */
const NOW = Date.UTC(2025, 7, 21, 12, 40, 59);

async function rateLimited(dialect: RateLimitDialect, extra: Partial<Extract<Fault, { type: 'rate-limit' }>> = {}) {
  const upstream = await startUpstream({ now: () => NOW, script: [{ fault: { type: 'rate-limit', dialect, ...extra } }] });
  const response = await chat(upstream, { model: 'gpt-4o-mini' });
  expect(response.status).toBe(429);
  expect(response.headers.get('date')).toBe('Thu, 21 Aug 2025 12:40:59 GMT');
  expect(upstream.stats().byOutcome).toEqual({ 'rate-limit': 1 });
  return { response, text: await response.text() };
}

describe('rate-limit dialects', () => {
  it('openai: exhausted x-ratelimit headers, retry-after and a "try again in" message', async () => {
    const { response, text } = await rateLimited('openai', { retryAfterMs: 1500 });
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(response.headers.get('x-ratelimit-reset-requests')).toBe('1.5s');
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('500');
    expect(response.headers.get('retry-after')).toBe('2');
    const error = JSON.parse(text).error;
    expect(error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded', param: null });
    expect(error.message).toContain('Please try again in 1.5s.');
  });

  it('openai: defaults to a one-second wait', async () => {
    const { response, text } = await rateLimited('openai');
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.headers.get('x-ratelimit-reset-requests')).toBe('1s');
    expect(text).toContain('Please try again in 1s.');
  });

  it('anthropic: anthropic-ratelimit headers with an RFC 3339 reset and an Anthropic error body', async () => {
    const { response, text } = await rateLimited('anthropic', { retryAfterMs: 1000 });
    expect(response.headers.get('anthropic-ratelimit-requests-limit')).toBe('50');
    expect(response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(response.headers.get('anthropic-ratelimit-requests-reset')).toBe('2025-08-21T12:41:00Z');
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBeNull();
    const body = JSON.parse(text);
    expect(body).toMatchObject({ type: 'error', error: { type: 'rate_limit_error', message: expect.any(String) } });
    expect(body.request_id).toBe(response.headers.get('request-id'));
  });

  it('azure: retry-after-ms, x-ms-retry-after-ms and retry-after', async () => {
    const { response, text } = await rateLimited('azure', { retryAfterMs: 2500 });
    expect(response.headers.get('retry-after-ms')).toBe('2500');
    expect(response.headers.get('x-ms-retry-after-ms')).toBe('2500');
    expect(response.headers.get('retry-after')).toBe('3');
    expect(JSON.parse(text).error).toMatchObject({ code: '429', message: expect.stringContaining('exceeded call rate limit') });
  });

  it('groq: Go-duration resets on the per-minute token limit, with retry-after', async () => {
    const { response, text } = await rateLimited('groq', { retryAfterMs: 7660 });
    expect(response.headers.get('x-ratelimit-remaining-tokens')).toBe('0');
    expect(response.headers.get('x-ratelimit-reset-tokens')).toBe('7.66s');
    expect(response.headers.get('x-ratelimit-reset-requests')).toBe('2m59.56s');
    expect(response.headers.get('retry-after')).toBe('8');
    expect(JSON.parse(text).error).toMatchObject({ type: 'tokens', code: 'rate_limit_exceeded' });
  });

  it('groq: perDay exhausts the per-day request limit instead', async () => {
    const { response, text } = await rateLimited('groq', { retryAfterMs: 179_560, perDay: true });
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(response.headers.get('x-ratelimit-reset-requests')).toBe('2m59.56s');
    expect(JSON.parse(text).error.message).toContain('requests per day (RPD)');
  });

  it('ietf: RateLimit and RateLimit-Policy fields and no Retry-After', async () => {
    const { response, text } = await rateLimited('ietf', { retryAfterMs: 10_000 });
    expect(response.headers.get('ratelimit')).toBe('"default";r=0;t=10');
    expect(response.headers.get('ratelimit-policy')).toBe('"default";q=100;w=60');
    expect(response.headers.get('retry-after')).toBeNull();
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(JSON.parse(text)).toMatchObject({ status: 429, 'violated-policies': ['default'] });
  });

  it('openrouter: rate-limit headers inside the body, reset in epoch milliseconds', async () => {
    const { text } = await rateLimited('openrouter', { retryAfterMs: 30_000 });
    const error = JSON.parse(text).error;
    expect(error.code).toBe(429);
    expect(error.message).not.toContain('free-models-per-day');
    expect(error.metadata.headers).toEqual({
      'X-RateLimit-Limit': '20',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': String(NOW + 30_000),
    });
  });

  it('openrouter: perDay names the free-models-per-day limit', async () => {
    const { text } = await rateLimited('openrouter', { perDay: true });
    expect(JSON.parse(text).error.message).toContain('free-models-per-day');
  });

  it('gemini: a JSON array body with QuotaFailure per minute and RetryInfo', async () => {
    const { text } = await rateLimited('gemini', { retryAfterMs: 46_000 });
    const body = JSON.parse(text);
    expect(Array.isArray(body)).toBe(true);
    expect(body[0].error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
    expect(body[0].error.details).toEqual([
      {
        '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
        violations: [expect.objectContaining({ quotaId: 'GenerateRequestsPerMinutePerProjectPerModel' })],
      },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '46s' },
    ]);
  });

  it('gemini: perDay reports a PerDay quota', async () => {
    const { text } = await rateLimited('gemini', { perDay: true });
    const violation = JSON.parse(text)[0].error.details[0].violations[0];
    expect(violation.quotaId).toBe('GenerateRequestsPerDayPerProjectPerModel');
  });
});
