import { describe, expect, it } from 'vitest';
import { namedEvents, post, startUpstream } from '../../test/http';

const ask = (upstream: Awaited<ReturnType<typeof startUpstream>>, body: Record<string, unknown> = {}) =>
  post(upstream, '/v1/responses', { model: 'gpt-4o-mini', input: 'Say hello.', ...body });

describe('POST /v1/responses', () => {
  it('answers a response object with one assistant message and usage, without output_text', async () => {
    const upstream = await startUpstream({ name: 'primary' });
    const response = await ask(upstream, { instructions: 'Be brief.' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ratelimit-remaining-requests')).not.toBeNull();
    const body = await response.json();
    expect(body).toMatchObject({ object: 'response', status: 'completed', model: 'gpt-4o-mini', instructions: 'Be brief.', error: null });
    expect(body.id).toMatch(/^resp_/);
    expect(body).not.toHaveProperty('output_text');
    expect(body.output).toEqual([
      {
        id: expect.stringMatching(/^msg_/),
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Hello from primary. This is a scripted reply', annotations: [], logprobs: [] }],
      },
    ]);
    // "Say hello." (10) + "Be brief." (9) = 19 characters → 5 tokens.
    expect(body.usage).toEqual({
      input_tokens: 5,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 8,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 13,
    });
  });

  it('accepts input as a list of messages with string or part content', async () => {
    const upstream = await startUpstream();
    const input = [
      { role: 'user', content: 'abcd' },
      { role: 'user', content: [{ type: 'input_text', text: 'efgh' }] },
    ];
    expect((await (await ask(upstream, { input })).json()).usage.input_tokens).toBe(2);
  });

  it('cuts the reply at max_output_tokens and reports the response incomplete', async () => {
    const upstream = await startUpstream();
    const body = await (await ask(upstream, { max_output_tokens: 3 })).json();
    expect(body).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, max_output_tokens: 3 });
    expect(body.output[0].content[0].text).toBe('Hello from chaos.');
    expect(body.usage.output_tokens).toBe(3);
  });

  it('streams the Responses event grammar with sequence numbers and no [DONE]', async () => {
    const upstream = await startUpstream({ name: 'primary', completionTokens: 4 });
    const response = await ask(upstream, { stream: true });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await response.text();
    expect(text).not.toContain('[DONE]');
    const events = namedEvents(text);
    expect(events.map((event) => event.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...Array(4).fill('response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    events.forEach((event, index) => expect(event.data).toMatchObject({ type: event.event, sequence_number: index }));
    expect(events[0]!.data.response).toMatchObject({ status: 'in_progress', output: [], usage: null });
    expect(events.slice(4, 8).map((event) => event.data.delta).join('')).toBe('Hello from primary. This');
    const completed = events.at(-1)!.data.response;
    expect(completed).toMatchObject({ status: 'completed', usage: { input_tokens: 3, output_tokens: 4, total_tokens: 7 } });
    expect(completed.output[0].content[0].text).toBe('Hello from primary. This');
  });
});

describe('stored responses', () => {
  it('keeps a stored response for GET, continues from it, and forgets it on DELETE', async () => {
    const upstream = await startUpstream();
    const first = await (await ask(upstream)).json();
    const fetched = await fetch(`${upstream.url}/v1/responses/${first.id}`);
    expect(fetched.status).toBe(200);
    expect(await fetched.json()).toEqual(first);

    // The continuation is billed for the whole conversation: 3 + 8 earlier tokens plus its own 3.
    const second = await (await ask(upstream, { previous_response_id: first.id })).json();
    expect(second).toMatchObject({ previous_response_id: first.id, usage: { input_tokens: 14 } });

    const deleted = await fetch(`${upstream.url}/v1/responses/${first.id}`, { method: 'DELETE' });
    expect(await deleted.json()).toEqual({ id: first.id, object: 'response', deleted: true });
    expect((await fetch(`${upstream.url}/v1/responses/${first.id}`)).status).toBe(404);
    expect(upstream.stats().byOutcome).toEqual({ ok: 4, 'invalid-request': 1 });
  });

  it('rejects an unknown previous_response_id with previous_response_not_found, before any script rule', async () => {
    const upstream = await startUpstream({ script: [{ fault: { type: 'status', status: 500 } }] });
    const response = await ask(upstream, { previous_response_id: 'resp_unknown' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        message: "Previous response with id 'resp_unknown' not found.",
        type: 'invalid_request_error',
        param: 'previous_response_id',
        code: 'previous_response_not_found',
      },
    });
    expect(upstream.stats().byOutcome).toEqual({ 'invalid-request': 1 });
  });

  it('does not keep a response created with store: false, nor one a fault replaced', async () => {
    const upstream = await startUpstream({ script: [{ when: { nth: [2] }, fault: { type: 'status', status: 503 } }] });
    const unstored = await (await ask(upstream, { store: false })).json();
    expect(unstored.store).toBe(false);
    expect((await ask(upstream)).status).toBe(503);
    expect((await fetch(`${upstream.url}/v1/responses/${unstored.id}`)).status).toBe(404);
    // Ids end in the instance's request counter (base 36): the faulted request was number 2.
    expect(unstored.id.endsWith('1')).toBe(true);
    const faultedId = `${unstored.id.slice(0, -1)}2`;
    expect((await fetch(`${upstream.url}/v1/responses/${faultedId}`, { method: 'DELETE' })).status).toBe(404);
  });
});
