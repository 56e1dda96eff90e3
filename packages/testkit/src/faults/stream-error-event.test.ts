import { describe, expect, it } from 'vitest';
import { ANTHROPIC_HEADERS, chat, messagesBody, namedEvents, post, sseData, startUpstream } from '../../test/http';
import type { Fault } from '../types';

const upstreamWith = (fault: Fault) => startUpstream({ script: [{ fault }] });
const responses = (upstream: Awaited<ReturnType<typeof startUpstream>>, stream = true) =>
  post(upstream, '/v1/responses', { model: 'gpt-4o-mini', input: 'Hi', stream });
const messages = (upstream: Awaited<ReturnType<typeof startUpstream>>, stream = true) =>
  post(upstream, '/v1/messages', messagesBody({ stream }), { headers: ANTHROPIC_HEADERS });

describe('stream-error-event', () => {
  it('chat: N chunks, then a data: chunk holding only an error, and no [DONE]', async () => {
    const upstream = await upstreamWith({ type: 'stream-error-event', afterChunks: 2 });
    const data = sseData(await (await chat(upstream, { stream: true })).text());
    expect(data).toHaveLength(3);
    expect(JSON.parse(data[2]!)).toEqual({
      error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null },
    });
    expect(upstream.stats().byOutcome).toEqual({ 'stream-error-event': 1 });
  });

  it('Responses: the documented error event carries the next sequence number, then the stream closes', async () => {
    const upstream = await upstreamWith({ type: 'stream-error-event', afterChunks: 5 });
    const events = namedEvents(await (await responses(upstream)).text());
    expect(events.map((event) => event.event)).toHaveLength(6);
    expect(events.at(-1)).toEqual({
      event: 'error',
      data: { type: 'error', sequence_number: 5, code: 'server_error', message: expect.stringMatching(/server had an error/), param: null },
    });
  });

  it('Responses: the nested variant and response.failed', async () => {
    const nested = await upstreamWith({ type: 'stream-error-event', afterChunks: 1, variant: 'error-nested' });
    expect(namedEvents(await (await responses(nested)).text()).at(-1)!.data).toEqual({
      type: 'error',
      sequence_number: 1,
      error: { type: 'server_error', code: 'server_error', message: expect.any(String), param: null },
    });
    const failed = await upstreamWith({ type: 'stream-error-event', afterChunks: 4, variant: 'response.failed' });
    const last = namedEvents(await (await responses(failed)).text()).at(-1)!;
    expect(last.event).toBe('response.failed');
    expect(last.data).toMatchObject({ sequence_number: 4, response: { status: 'failed', error: { code: 'server_error' }, usage: null } });
  });

  it('Messages: an error event with overloaded_error after N events, and no message_stop', async () => {
    const upstream = await upstreamWith({ type: 'stream-error-event', afterChunks: 4 });
    const text = await (await messages(upstream)).text();
    const events = namedEvents(text);
    expect(events.map((event) => event.event)).toEqual(['message_start', 'content_block_start', 'ping', 'content_block_delta', 'error']);
    expect(events.at(-1)!.data).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  });

  it('a response that failed mid-stream is not stored', async () => {
    const upstream = await startUpstream({ script: [{ when: { nth: [1] }, fault: { type: 'stream-error-event', afterChunks: 5 } }] });
    const events = namedEvents(await (await responses(upstream)).text());
    const id = events[0]!.data.response.id;
    expect((await fetch(`${upstream.url}/v1/responses/${id}`)).status).toBe(404);
  });

  it('a request that did not stream gets the error as a status: 500 from OpenAI routes, 529 from Messages', async () => {
    const upstream = await upstreamWith({ type: 'stream-error-event', afterChunks: 1 });
    const fromResponses = await responses(upstream, false);
    expect(fromResponses.status).toBe(500);
    expect((await fromResponses.json()).error.type).toBe('server_error');
    const fromMessages = await messages(upstream, false);
    expect(fromMessages.status).toBe(529);
    expect((await fromMessages.json()).error).toEqual({ type: 'overloaded_error', message: 'Overloaded' });
  });
});

describe('faults and stats on the new routes', () => {
  it('when.path picks /v1/responses and /v1/messages, and stats count each path', async () => {
    const upstream = await startUpstream({
      script: [
        { when: { path: '/v1/responses' }, fault: { type: 'status', status: 502 } },
        { when: { path: '/v1/messages' }, fault: { type: 'rate-limit', dialect: 'anthropic' } },
      ],
    });
    expect((await responses(upstream, false)).status).toBe(502);
    const limited = await messages(upstream, false);
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.type).toBe('rate_limit_error');
    expect((await chat(upstream)).status).toBe(200);
    const stats = upstream.stats();
    expect(stats.byPath).toEqual({ '/v1/responses': 1, '/v1/messages': 1, '/v1/chat/completions': 1 });
    expect(stats.byOutcome).toEqual({ 'status-502': 1, 'rate-limit': 1, ok: 1 });
    expect(stats.byModel).toMatchObject({ 'claude-sonnet-4-5': 1 });
  });

  it('cut-stream, slow-body and latency apply to Messages streams as to chat', async () => {
    const cut = await upstreamWith({ type: 'cut-stream', afterChunks: 2 });
    const events = namedEvents(await (await messages(cut)).text());
    expect(events.map((event) => event.event)).toEqual(['message_start', 'content_block_start']);
    const slow = await startUpstream({ latency: { type: 'fixed', ms: 2 }, script: [{ fault: { type: 'slow-body', chunkDelayMs: 1 } }] });
    expect(namedEvents(await (await messages(slow)).text()).at(-1)!.event).toBe('message_stop');
    expect(slow.stats().requests[0]).toMatchObject({ outcome: 'slow-body', latencyMs: 2 });
  });

  it('the limiter counts Responses tokens and answers an OpenAI 429 there', async () => {
    // "Hi" is 1 input token and the reply 8: 9 tokens, so a 10-token bucket admits one request only.
    const upstream = await startUpstream({ now: () => 0, limiter: { tokensPerMinute: 10 } });
    const first = await responses(upstream, false);
    expect(first.headers.get('x-ratelimit-remaining-tokens')).toBe('1');
    const limited = await responses(upstream, false);
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.code).toBe('rate_limit_exceeded');
  });
});
