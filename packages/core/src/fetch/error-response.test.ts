import { describe, expect, it } from 'vitest';
import { AttemptsExhaustedError } from '../errors/attempts-exhausted-error';
import type { AttemptRecord } from '../engine/attempt-record';
import { DetourError } from '../errors/detour-error';
import { NoEndpointAvailableError } from '../errors/no-endpoint-available-error';
import { createSecretScrubber } from '../secrets/secret-scrubber';
import { anthropicErrorBody, errorResponse } from './error-response';

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

  it.each([['chat', undefined], ['messages', 'messages']] as const)(
    'scrubs a key spelled with JSON escapes in a plain-text body before encoding it (%s)',
    async (_, api) => {
      const scrub = createSecretScrubber(['sk-SECRET-main-123']);
      for (const spelling of ['sk\\u002dSECRET\\u002dmain\\u002d123', 'sk\\u002DSECRET-main\\u002d123', 'sk-SECRET-main-123']) {
        const response = errorResponse(exhausted(`key ${spelling}`, { status: 400, headers: { 'content-type': 'text/plain' } }), scrub, api);
        const text = await response.text();
        const { error } = JSON.parse(text) as { error: { message: string } };
        expect(error.message).toBe('key [redacted]');
        expect(text).not.toMatch(/SECRET/);
      }
    },
  );

  it.each([['chat', undefined], ['messages', 'messages']] as const)(
    'scrubs a plain-text body before shortening it: a key across the cut is redacted whole (attack 13, %s)',
    async (_, api) => {
      const key = 'sk-upstream-SECRET-abc/def+ghi0123456789';
      const scrub = createSecretScrubber([key]);
      // The key starts 37 characters before the 1000th: shortened first, all but its last 3 characters went out.
      const body = `dump: ${'x'.repeat(1000 - 6 - 37)}${key} (authorization header)`;
      const response = errorResponse(exhausted(body, { status: 400, headers: { 'content-type': 'text/plain' } }), scrub, api);
      const { error } = JSON.parse(await response.text()) as { error: { message: string } };
      expect(error.message).not.toContain(key.slice(0, 12));
      expect(error.message).toContain('[redacted]');
    },
  );

  it('sets Retry-After from Detour\'s capped view, never the upstream\'s absurd value', () => {
    const headers = { 'retry-after': '999999999', 'retry-after-ms': '999999999000' };
    const capped = errorResponse(exhausted('{}', { headers, serverDelayMs: 86_400_000 }));
    expect(capped.headers.get('retry-after')).toBe('86400');
    expect(capped.headers.get('retry-after-ms')).toBeNull();
    expect(errorResponse(exhausted('{}', { headers })).headers.get('retry-after')).toBeNull();
  });
});

describe("errorResponse in Anthropic's shape (api 'messages')", () => {
  it.each([
    [new NoEndpointAvailableError({ retryAfterMs: 4500, model: 'claude-sonnet-4-5' }), 503, 'overloaded_error', '5'],
    [new DetourError('api_not_served', { message: 'No endpoint speaks the messages API.' }), 404, 'not_found_error', null],
    [new DetourError('request_too_large', { message: 'too large' }), 413, 'request_too_large', null],
    [new DetourError('deadline_exceeded', { message: 'too slow' }), 504, 'api_error', null],
    [new Error('boom'), 500, 'api_error', null],
  ])("answers Detour's own %s with status %i and type %s", async (error, status, type, retryAfter) => {
    const response = errorResponse(error, undefined, 'messages');
    expect(response.status).toBe(status);
    expect(response.headers.get('retry-after')).toBe(retryAfter);
    const body = (await response.json()) as { type: string; error: { type: string; message: string } };
    expect(body).toEqual({ type: 'error', error: { type, message: expect.any(String) } });
    expect(response.headers.get('x-detour-error')).toBe(DetourError.isInstance(error) ? error.code : 'internal_error');
  });

  it('keeps a relayed Anthropic body as it is, scrubbed', async () => {
    const body = anthropicErrorBody('Overloaded sk-secret-0123456789', 'overloaded_error');
    const response = errorResponse(exhausted(body, { status: 529 }), (text) => text.replace('sk-secret-0123456789', '[redacted]'), 'messages');
    expect(response.status).toBe(529);
    expect(await response.json()).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded [redacted]' } });
  });

  it.each([
    [429, { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }, 'rate_limit_error', 'Rate limit reached'],
    [401, { error: { message: 'Incorrect API key', type: 'invalid_request_error' } }, 'authentication_error', 'Incorrect API key'],
    [403, 'Forbidden', 'permission_error', 'Forbidden'],
    [400, { title: 'Bad', detail: 'max_tokens missing' }, 'invalid_request_error', 'Bad: max_tokens missing'],
    [500, { error: { message: 'server had an error' } }, 'api_error', 'server had an error'],
  ])('rewrites a relayed %i in another dialect into it, keeping the message', async (status, upstream, type, message) => {
    const text = typeof upstream === 'string' ? upstream : JSON.stringify(upstream);
    const response = errorResponse(exhausted(text, { status }), undefined, 'messages');
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ type: 'error', error: { type, message } });
  });

  it("keeps OpenAI's shape for every other API", async () => {
    const response = errorResponse(new NoEndpointAvailableError({ retryAfterMs: 1000, model: undefined }), undefined, 'responses');
    expect(await response.json()).toMatchObject({ error: { type: 'service_unavailable', code: 'no_endpoint_available' } });
  });
});

describe("errorResponse for Detour's own failures", () => {
  // A Worker with a bad config answered every caller `"type":"upstream_error"` (attack 21): no upstream was asked.
  it.each([
    ['a bad config', new DetourError('invalid_options', { message: 'Invalid gateway config' }), 500, 'server_error'],
    ['an internal error', new Error('boom'), 500, 'server_error'],
    ['a deadline that ran out on the upstreams', new DetourError('deadline_exceeded', { message: 'too slow' }), 504, 'upstream_error'],
  ])('types %s by whose failure it is', async (_, error, status, type) => {
    const response = errorResponse(error);
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error: { type } });
  });
});

describe('errorResponse and the SDKs\' own retries', () => {
  // The fifth attack, defect 7: at their default `maxRetries` the openai and Anthropic SDKs retried every error
  // Detour answered after its own retries, and an upstream's `x-should-retry: true` was relayed.
  it.each([
    ['a relayed 429 that said to retry', exhausted('{}', { headers: { 'x-should-retry': 'true' } })],
    ['a relayed 503', exhausted('{}', { status: 503 })],
    ["Detour's own 503", new NoEndpointAvailableError({ retryAfterMs: 2000, model: 'gpt-4.1' })],
    ["Detour's own 504", new DetourError('deadline_exceeded', { message: 'too slow' })],
    ['an internal error', new Error('boom')],
  ])('tells the SDK not to retry %s', (_, error) => {
    for (const api of [undefined, 'messages'] as const) expect(errorResponse(error, undefined, api).headers.get('x-should-retry')).toBe('false');
  });
});
