import { describe, expect, it } from 'vitest';
import { createDetourFetch } from '../fetch/create-detour-fetch';
import type { RouterOptionsInput } from '../options/router-options-schema';
import { createFakeClock } from '../testing/fake-clock';
import { createScriptedTransport, type EndpointScript } from '../testing/scripted-transport';
import { createRouter } from './router';

// What the review of the fifteenth attack's fixes found (stop 45). Each test here failed on the code before its fix.

const setup = (scripts: Record<string, EndpointScript>) => {
  const clock = createFakeClock();
  const transport = createScriptedTransport(scripts, { now: clock.now, advance: clock.advance });
  const endpoints = Object.keys(scripts).map((name, priority) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}-Zx9Qw7Lm2Nb5Vc8Tr4Yu6Io1`, priority }));
  const router = createRouter({ endpoints } as RouterOptionsInput, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
  return { transport, fetch: createDetourFetch(router) };
};

describe('review of the fifteenth attack: a DELETE of a stored response', () => {
  it.each([
    ['200 with nothing', { status: 200, body: '' }, 200],
    ['202 with nothing', { status: 202, body: '' }, 202],
    ['200 with {}', { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' }, 200],
    ['200 with the deletion object', { status: 200, headers: { 'content-type': 'application/json' }, body: '{"id":"resp_1","object":"response","deleted":true}' }, 200],
  ])('is done when the upstream says so: %s', async (_, answer, status) => {
    const { fetch, transport } = setup({ a: [answer], b: [{ status: 404, body: '{"error":{"message":"not found"}}' }] });
    const response = await fetch('https://detour/v1/responses/resp_1', { method: 'DELETE' });
    expect(response.status).toBe(status);
    expect(transport.callsTo('b')).toHaveLength(0);
  });

  it('still refuses a 200 page that is no JSON', async () => {
    const { fetch } = setup({ a: [{ status: 200, headers: { 'content-type': 'text/html' }, body: '<h1>oops</h1>' }] });
    expect((await fetch('https://detour/v1/responses/resp_1', { method: 'DELETE' })).status).toBe(502);
  });
});

describe('review of the fifteenth attack: a stored response retrieved answers in the shape asked for', () => {
  const stored = JSON.stringify({ id: 'resp_1', object: 'response', status: 'completed', output: [] });
  const events = [JSON.stringify({ type: 'response.completed', response: { id: 'resp_1', status: 'completed' } })];

  it('refuses a stream answered to a plain GET, and JSON answered to ?stream=true (the holder alone has it: no failover)', async () => {
    const plain = setup({ a: [{ events }] });
    const retrieved = await plain.fetch('https://detour/v1/responses/resp_1', { method: 'GET' });
    expect(retrieved.status).toBe(502);
    expect(await retrieved.text()).toContain('a stream, not JSON');
    const streaming = setup({ a: [{ headers: { 'content-type': 'application/json' }, body: stored }] });
    const streamed = await streaming.fetch('https://detour/v1/responses/resp_1?stream=true&starting_after=3', { method: 'GET' });
    expect(streamed.status).toBe(502);
    expect(await streamed.text()).toContain('JSON, not a stream');
    // Each in the shape asked for passes.
    expect((await (await setup({ a: [{ headers: { 'content-type': 'application/json' }, body: stored }] }).fetch('https://detour/v1/responses/resp_1')).json()).id).toBe('resp_1');
    expect(await (await setup({ a: [{ events }] }).fetch('https://detour/v1/responses/resp_1?stream=true')).text()).toContain('response.completed');
  });
});
