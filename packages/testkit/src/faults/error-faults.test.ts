import { describe, expect, it } from 'vitest';
import { chat, startUpstream } from '../../test/http';
import type { Fault } from '../types';

async function failWith(fault: Fault) {
  const upstream = await startUpstream({ script: [{ fault }] });
  const response = await chat(upstream);
  return { upstream, response, body: await response.json() };
}

describe('error faults', () => {
  it('insufficient-quota: a 429 whose body says insufficient_quota, not rate limiting', async () => {
    const { upstream, response, body } = await failWith({ type: 'insufficient-quota' });
    expect(response.status).toBe(429);
    expect(body.error).toMatchObject({ type: 'insufficient_quota', code: 'insufficient_quota' });
    expect(upstream.stats().byOutcome).toEqual({ 'insufficient-quota': 1 });
  });

  it('context-length: a 400 with code context_length_exceeded', async () => {
    const { response, body } = await failWith({ type: 'context-length' });
    expect(response.status).toBe(400);
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'context_length_exceeded', param: 'messages' });
  });

  it('unauthorized: a 401 invalid_api_key naming a masked key', async () => {
    const { response, body } = await failWith({ type: 'unauthorized' });
    expect(response.status).toBe(401);
    expect(body.error).toMatchObject({ code: 'invalid_api_key' });
    expect(body.error.message).toContain('sk-*****6789');
  });

  it.each([
    [500, 'server_error', null],
    [502, 'server_error', 'bad_gateway'],
    [503, 'server_error', 'server_is_overloaded'],
    [504, 'server_error', 'gateway_timeout'],
  ])('status %d: the provider body by default', async (status, type, code) => {
    const { upstream, response, body } = await failWith({ type: 'status', status });
    expect(response.status).toBe(status);
    expect(body.error).toMatchObject({ type, code });
    expect(upstream.stats().byOutcome).toEqual({ [`status-${status}`]: 1 });
  });

  it('status 529: Anthropic overloaded_error body', async () => {
    const { response, body } = await failWith({ type: 'status', status: 529 });
    expect(response.status).toBe(529);
    expect(body).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  });

  it('status with a custom body and headers sends them as given', async () => {
    const fault: Fault = { type: 'status', status: 418, body: { teapot: true }, headers: { 'x-should-retry': 'false' } };
    const { response, body } = await failWith(fault);
    expect(response.status).toBe(418);
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect(body).toEqual({ teapot: true });
  });

  it('status without a known body gets a generic OpenAI error of the right class', async () => {
    const { body } = await failWith({ type: 'status', status: 422 });
    expect(body.error.type).toBe('invalid_request_error');
  });

  it('error answers still carry the request id and OpenAI headers', async () => {
    const { response } = await failWith({ type: 'status', status: 503 });
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    expect(response.headers.get('openai-processing-ms')).toMatch(/^\d+$/);
    expect(response.headers.get('x-ratelimit-remaining-requests')).toMatch(/^\d+$/);
  });
});
