import type { FaultRule } from '@detour/testkit';
import OpenAI from 'openai';
import { describe, expect, it, vi } from 'vitest';
import { dialects, gatewayFor, gatewayKey, metricValue, upstream } from './sdk-harness';

// The official openai SDK's Responses API through the gateway on Node, against testkit upstreams over real sockets.

const client = (url: string) => new OpenAI({ baseURL: `${url}/v1`, apiKey: gatewayKey, maxRetries: 0 });
const ask = { model: 'gpt-4.1', input: 'Say hello.' };
const onResponses = (fault: FaultRule['fault']): FaultRule[] => [{ when: { path: '/v1/responses' }, fault }];

/** Reads a Responses stream to its end; returns the text and the event types seen. */
const readStream = async (stream: AsyncIterable<OpenAI.Responses.ResponseStreamEvent>) => {
  let text = '';
  const types: string[] = [];
  for await (const event of stream) {
    types.push(event.type);
    if (event.type === 'response.output_text.delta') text += event.delta;
  }
  return { text, types };
};

const storms: [string, FaultRule['fault']][] = [
  ...dialects.map((dialect): [string, FaultRule['fault']] => [`a ${dialect}-dialect 429`, { type: 'rate-limit', dialect, retryAfterMs: 15_000 }]),
  ['a 529 storm', { type: 'status', status: 529 }],
  ['a 500 storm', { type: 'status', status: 500 }],
];

describe('responses.create through the gateway', () => {
  it.each(storms)('succeeds as JSON and as a stream while the primary answers %s', async (_, fault) => {
    const primary = await upstream('primary', onResponses(fault));
    const backup = await upstream('backup');
    const openai = client((await gatewayFor([primary, backup])).url);
    const { data, response } = await openai.responses.create(ask).withResponse();
    expect(data.output_text).toContain('Hello from backup');
    expect(response.headers.get('x-detour-endpoint')).toBe('backup');
    const { text, types } = await readStream(await openai.responses.create({ ...ask, stream: true }));
    expect(text).toContain('Hello from backup');
    expect(types.at(-1)).toBe('response.completed');
    expect(backup.stats().byPath['/v1/responses']).toBe(2);
  });

  it.each([
    ['a close after the first events', { type: 'cut-stream', afterChunks: 2, mode: 'close' }],
    ['a reset after the first events', { type: 'cut-stream', afterChunks: 2, mode: 'reset' }],
    // After response.created, in_progress, output_item.added, content_part.added and the first text delta.
    ['an error event', { type: 'stream-error-event', afterChunks: 5, variant: 'error' }],
    ['a nested error event', { type: 'stream-error-event', afterChunks: 5, variant: 'error-nested' }],
    ['response.failed', { type: 'stream-error-event', afterChunks: 5, variant: 'response.failed' }],
  ] as [string, FaultRule['fault']][])('makes the SDK raise, never end cleanly, on %s', async (_, fault) => {
    // Events apart in time, so the first ones reach the caller before the break (together, they would fail over).
    const primary = await upstream('primary', onResponses(fault), { chunkDelayMs: 20 });
    const backup = await upstream('backup');
    const openai = client((await gatewayFor([primary, backup])).url);
    const stream = await openai.responses.create({ ...ask, stream: true });
    await expect(readStream(stream)).rejects.toThrow();
    // Bytes had reached the caller: no failover mid-stream.
    expect(backup.stats().total).toBe(0);
  });

  it('prices a Responses call in x-detour-cost-usd and the cost metric (gpt-4.1: $2 in, $8 out per million)', async () => {
    const primary = await upstream('primary');
    const gateway = await gatewayFor([primary]);
    const openai = client(gateway.url);
    const { data, response } = await openai.responses.create(ask).withResponse();
    // testkit: 'Say hello.' is 10 characters → 3 input tokens; the reply is 8 words → 8 output tokens.
    expect(data.usage).toMatchObject({ input_tokens: 3, output_tokens: 8, input_tokens_details: { cached_tokens: 0 } });
    const expected = (3 * 2 + 8 * 8) / 1e6;
    expect(response.headers.get('x-detour-cost-usd')).toBe(expected.toFixed(8));
    const series = 'detour_cost_usd_total{endpoint="primary",model="gpt-4.1",outcome="success",api="responses"}';
    expect(await metricValue(gateway, series)).toBeCloseTo(expected, 12);
    // A stream is priced when it ends, from response.completed's usage.
    await readStream(await openai.responses.create({ ...ask, stream: true }));
    await vi.waitFor(async () => expect(await metricValue(gateway, series)).toBeCloseTo(2 * expected, 12));
    expect(await metricValue(gateway, 'detour_tokens_total{endpoint="primary",model="gpt-4.1",type="output",api="responses"}')).toBe(16);
  });
});

describe('stored responses through the gateway', () => {
  it.each([false, true])('never sends a continuation (stream: %s) to an endpoint that does not hold the response, even while the holder answers 429', async (stream) => {
    const primary = await upstream('primary');
    const backup = await upstream('backup');
    const openai = client((await gatewayFor([primary, backup], { router: { maxServerDelayMs: 1000 } })).url);
    let id: string;
    if (stream) {
      const events = await openai.responses.create({ ...ask, stream: true });
      let created: string | undefined;
      for await (const event of events) if (event.type === 'response.created') created = event.response.id;
      id = created!;
    } else {
      id = (await openai.responses.create(ask)).id;
    }
    expect((await openai.responses.retrieve(id)).id).toBe(id);
    const next = await openai.responses.create({ ...ask, input: 'Again.', previous_response_id: id });
    expect(next.previous_response_id).toBe(id);

    primary.setScript([{ fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 30_000 } }]);
    const error = await openai.responses.create({ ...ask, input: 'Once more.', previous_response_id: id }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect([429, 503]).toContain((error as InstanceType<typeof OpenAI.APIError>).status);
    expect(backup.stats().total).toBe(0);
  });

  it('finds the holder of a response another gateway instance created, and continues it there only', async () => {
    // The first gateway creates it on the backup (the primary is rate limited then); a second one, which never saw
    // it, must look it up rather than send the continuation to the primary.
    const primary = await upstream('primary', [{ when: { nth: [1] }, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 30_000 } }]);
    const backup = await upstream('backup');
    const first = client((await gatewayFor([primary, backup])).url);
    const created = await first.responses.create(ask);
    expect(created.output_text).toContain('Hello from backup');
    const second = client((await gatewayFor([primary, backup])).url);
    const next = await second.responses.create({ ...ask, input: 'Again.', previous_response_id: created.id });
    expect(next.output_text).toContain('Hello from backup');
    // The primary saw the rate-limited creation and the second gateway's lookup (a 404, which testkit records as
    // `invalid-request`): never the continuation.
    const primaryRequests = primary.stats().requests.map((record) => `${record.method} ${record.path} ${record.outcome}`);
    expect(primaryRequests.filter((line) => line.startsWith('POST'))).toEqual(['POST /v1/responses rate-limit']);
    expect(primaryRequests.filter((line) => line.startsWith('GET'))).toEqual([`GET /v1/responses/${created.id} invalid-request`]);
  });

  it('retrieves and deletes a stored response on the endpoint that holds it', async () => {
    const primary = await upstream('primary');
    const backup = await upstream('backup');
    const openai = client((await gatewayFor([primary, backup])).url);
    const first = await openai.responses.create(ask);
    expect((await openai.responses.retrieve(first.id)).output_text).toBe(first.output_text);
    await openai.responses.delete(first.id);
    await expect(openai.responses.retrieve(first.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    expect(primary.stats().byPath[`/v1/responses/${first.id}`]).toBe(3);
    expect(backup.stats().total).toBe(0);
  });

  it('refuses an id that could address another upstream resource', async () => {
    const primary = await upstream('primary');
    const gateway = await gatewayFor([primary]);
    const response = await fetch(`${gateway.url}/v1/responses/resp.1`, { headers: { authorization: `Bearer ${gatewayKey}` } });
    expect(response.status).toBe(400);
    expect(primary.stats().total).toBe(0);
  });
});

describe('a Responses request whose stored prompt chooses the model (the fourteenth attack)', () => {
  it('is served, as JSON and as a stream, and priced by the model the answer names', async () => {
    const primary = await upstream('primary');
    const gateway = await gatewayFor([primary]);
    const openai = client(gateway.url);
    // `model` is optional in the SDK's types: a stored prompt (`prompt.id`) carries it.
    const { data, response } = await openai.responses.create({ prompt: { id: 'pmpt_123' }, input: 'Say hello.' }).withResponse();
    expect(data.output_text).toContain('Hello from primary');
    expect(Number(response.headers.get('x-detour-cost-usd'))).toBeGreaterThan(0);
    const { types } = await readStream(await openai.responses.create({ prompt: { id: 'pmpt_123' }, input: 'Say hello.', stream: true }));
    expect(types.at(-1)).toBe('response.completed');
    // Both priced under the model the upstream answered with.
    await vi.waitFor(async () => expect(await metricValue(gateway, `detour_tokens_total{endpoint="primary",model="${data.model}",type="output",api="responses"}`)).toBe(16));
  });

  it('still refuses a Responses request with neither model nor prompt (guards what held)', async () => {
    const openai = client((await gatewayFor([await upstream('primary')])).url);
    await expect(openai.responses.create({ input: 'Say hello.' } as never)).rejects.toMatchObject({ status: 400 });
  });
});
