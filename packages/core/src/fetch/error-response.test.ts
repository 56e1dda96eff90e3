import { describe, expect, it } from 'vitest';
import { AttemptsExhaustedError } from '../errors/attempts-exhausted-error';
import type { AttemptRecord } from '../engine/attempt-record';
import { errorResponse } from './error-response';

const attempt = (serverDelayMs: number | undefined): AttemptRecord => ({
  endpoint: 'primary', attempt: 1, startedAt: 0, durationMs: 5, status: 429, kind: 'rate_limited', reason: 'rate limited', serverDelayMs, costUsd: undefined,
});

const exhausted = (bodyText: string, { status = 429, headers = {}, retryAfterMs, serverDelayMs }: {
  status?: number; headers?: Record<string, string>; retryAfterMs?: number; serverDelayMs?: number;
} = {}) =>
  new AttemptsExhaustedError({
    reason: 'exhausted', attempts: [attempt(serverDelayMs)], lastResponse: { status, headers, bodyText }, lastError: undefined, retryAfterMs, retryable: true,
  });

describe('errorResponse for a relayed upstream error', () => {
  it.each([
    ['an IETF problem', JSON.stringify({ type: 'https://iana.org/assignments/http-problem-types#quota-exceeded', title: 'Request cannot be satisfied as assigned quota has been exceeded', status: 429 }), 'Request cannot be satisfied as assigned quota has been exceeded'],
    ['OpenRouter (numeric code)', JSON.stringify({ error: { code: 429, message: 'Rate limit exceeded: limit_rpm/gpt-4.1.', metadata: { headers: {} } } }), 'Rate limit exceeded: limit_rpm/gpt-4.1.'],
    ['Gemini (an array)', JSON.stringify([{ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded for metric: generate_content_free_tier_requests' } }]), 'Quota exceeded for metric: generate_content_free_tier_requests'],
    ['plain text', 'Too Many Requests', 'Too Many Requests'],
  ])('rewrites %s in OpenAI\'s format, keeping the upstream\'s message, with Retry-After', async (_, body, message) => {
    const response = errorResponse(exhausted(body, { headers: { 'content-type': 'application/problem+json' }, retryAfterMs: 20_000 }));
    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('retry-after')).toBe('20');
    expect(await response.json()).toEqual({ error: { message, type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' } });
  });

  it('keeps an OpenAI-shaped body as it is, scrubbed', async () => {
    const body = JSON.stringify({ error: { message: 'Rate limit reached for sk-secret-0123456789', type: 'requests', param: null, code: 'rate_limit_exceeded' } });
    const response = errorResponse(exhausted(body, { serverDelayMs: 1500 }), (text) => text.replace('sk-secret-0123456789', '[redacted]'));
    expect(await response.text()).toBe(body.replace('sk-secret-0123456789', '[redacted]'));
    expect(response.headers.get('retry-after')).toBe('2');
  });

  it('sets Retry-After from Detour\'s capped view, never the upstream\'s absurd value', () => {
    const headers = { 'retry-after': '999999999', 'retry-after-ms': '999999999000' };
    const capped = errorResponse(exhausted('{}', { headers, serverDelayMs: 86_400_000 }));
    expect(capped.headers.get('retry-after')).toBe('86400');
    expect(capped.headers.get('retry-after-ms')).toBeNull();
    expect(errorResponse(exhausted('{}', { headers })).headers.get('retry-after')).toBeNull();
  });
});
