import { describe, expect, it } from 'vitest';
import { chat, startUpstream } from '../../test/http';

describe('limiter', () => {
  it('reports the real remaining requests and reset on each success', async () => {
    let now = 1_000_000;
    const upstream = await startUpstream({ now: () => now, limiter: { requestsPerMinute: 3 } });
    const remaining: (string | null)[] = [];
    for (let index = 0; index < 3; index += 1) remaining.push((await chat(upstream)).headers.get('x-ratelimit-remaining-requests'));
    expect(remaining).toEqual(['2', '1', '0']);
    const last = await chat(upstream);
    expect(last.status).toBe(429);
    now += 20_000;
    const refilled = await chat(upstream);
    expect(refilled.status).toBe(200);
    expect(refilled.headers.get('x-ratelimit-limit-requests')).toBe('3');
    expect(refilled.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(refilled.headers.get('x-ratelimit-reset-requests')).toBe('1m0s');
  });

  it('answers an OpenAI 429 whose headers tell the truth once requests run out', async () => {
    const now = 1_000_000;
    const upstream = await startUpstream({ now: () => now, limiter: { requestsPerMinute: 2 } });
    await chat(upstream);
    await chat(upstream);
    const limited = await chat(upstream);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset-requests')).toBe('1m0s');
    // One request refills every 30 s at 2 RPM.
    expect(limited.headers.get('retry-after')).toBe('30');
    const error = (await limited.json()).error;
    expect(error).toMatchObject({ code: 'rate_limit_exceeded', type: 'requests' });
    expect(error.message).toContain('Please try again in 30s.');
    expect(upstream.stats().byOutcome).toEqual({ ok: 2, 'rate-limit': 1 });
  });

  it('spends prompt and completion tokens, and refuses on the token limit first when it is tighter', async () => {
    let now = 0;
    // Each request costs 3 prompt + 8 completion = 11 tokens.
    const upstream = await startUpstream({ now: () => now, limiter: { requestsPerMinute: 1_000, tokensPerMinute: 30 } });
    const first = await chat(upstream);
    expect(first.headers.get('x-ratelimit-remaining-tokens')).toBe('19');
    expect((await chat(upstream)).headers.get('x-ratelimit-remaining-tokens')).toBe('8');
    const limited = await chat(upstream);
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.type).toBe('tokens');
    // 3 tokens are missing at 0.5 tokens a second.
    expect(limited.headers.get('retry-after')).toBe('6');
    now += 6_000;
    expect((await chat(upstream)).status).toBe(200);
  });

  it('lets a scripted fault take precedence over the limiter', async () => {
    const upstream = await startUpstream({
      now: () => 0,
      limiter: { requestsPerMinute: 1 },
      script: [{ when: { nth: [1] }, fault: { type: 'status', status: 500 } }],
    });
    expect((await chat(upstream)).status).toBe(500);
    expect((await chat(upstream)).status).toBe(200);
    expect((await chat(upstream)).status).toBe(429);
  });

  it('starts each bucket at initialFill of its capacity', async () => {
    const now = 0;
    const upstream = await startUpstream({ now: () => now, limiter: { requestsPerMinute: 10, initialFill: 0.2 } });
    expect((await chat(upstream)).headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect((await chat(upstream)).status).toBe(200);
    const limited = await chat(upstream);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('6');
  });

  it('speaks the IETF RateLimit fields on answers and on its 429 when asked', async () => {
    let now = 0;
    // Each request costs 3 prompt + 8 completion = 11 tokens.
    const upstream = await startUpstream({ now: () => now, limiter: { requestsPerMinute: 2, tokensPerMinute: 600, headers: 'ietf' } });
    const first = await chat(upstream);
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBeNull();
    expect(first.headers.get('ratelimit')).toBe('"requests";r=1;t=30, "tokens";r=589;t=2');
    expect(first.headers.get('ratelimit-policy')).toBe('"requests";q=2;w=60, "tokens";q=600;w=60');
    await chat(upstream);
    now += 1_000;
    const limited = await chat(upstream);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toBe('application/problem+json');
    expect(limited.headers.get('retry-after')).toBeNull();
    // One request refills every 30 s; 1 s has passed.
    expect(limited.headers.get('ratelimit')).toMatch(/^"requests";r=0;t=29, "tokens";r=\d+;t=\d+$/);
    expect((await limited.json())['violated-policies']).toEqual(['requests']);
  });
});
