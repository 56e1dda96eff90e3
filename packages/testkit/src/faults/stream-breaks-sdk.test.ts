import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it, vi } from 'vitest';
import { startUpstream } from '../../test/http';
import type { ChaosUpstream, Fault } from '../types';

/** How a consumer's iteration over a stream ended: the event types it saw, and the error if it threw. */
interface Ending {
  types: string[];
  error?: unknown;
}

async function consume(stream: AsyncIterable<{ type?: string; object?: string }>): Promise<Ending> {
  const types: string[] = [];
  try {
    for await (const event of stream) types.push(event.type ?? event.object ?? '?');
    return { types };
  } catch (error) {
    return { types, error };
  }
}

async function setUp(fault: Fault): Promise<{ upstream: ChaosUpstream; openai: OpenAI; anthropic: Anthropic }> {
  const upstream = await startUpstream({ script: [{ when: { stream: true }, fault }] });
  return {
    upstream,
    openai: new OpenAI({ baseURL: upstream.baseUrl, apiKey: 'sk-test', maxRetries: 0, logLevel: 'off' }),
    anthropic: new Anthropic({ baseURL: upstream.url, apiKey: 'sk-ant-test', maxRetries: 0, logLevel: 'off' }),
  };
}

const chatStream = (openai: OpenAI) =>
  openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true });
const responsesStream = (openai: OpenAI) => openai.responses.create({ model: 'gpt-4o-mini', input: 'Hi', stream: true });
const messagesStream = (anthropic: Anthropic) =>
  anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }], stream: true });

describe('broken streams through the real SDKs', () => {
  it('cut-stream reset: iteration throws on all three streaming APIs', async () => {
    const { openai, anthropic } = await setUp({ type: 'cut-stream', afterChunks: 5, mode: 'reset' });
    for (const ending of [await consume(await chatStream(openai)), await consume(await responsesStream(openai)), await consume(await messagesStream(anthropic))]) {
      expect(ending.error).toBeInstanceOf(Error);
    }
  });

  it('cut-stream close: never reaches the terminal event; the raw iterators end quietly, the Anthropic helper throws', async () => {
    const { openai, anthropic } = await setUp({ type: 'cut-stream', afterChunks: 5 });
    // Five chat chunks: the role chunk and four words, then a clean close without [DONE].
    expect(await consume(await chatStream(openai))).toEqual({ types: Array(5).fill('chat.completion.chunk') });
    const responses = await consume(await responsesStream(openai));
    expect(responses).toEqual({ types: ['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added', 'response.output_text.delta'] });
    // Five events are message_start, content_block_start, ping (which the SDK hides) and two deltas.
    const messages = await consume(await messagesStream(anthropic));
    expect(messages).toEqual({ types: ['message_start', 'content_block_start', 'content_block_delta', 'content_block_delta'] });
    const helper = anthropic.messages.stream({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });
    await expect(helper.finalMessage()).rejects.toThrow(/stream ended without producing a Message/);
    // The openai helper has no such check: it resolves with the snapshot, still `in_progress`.
    expect((await openai.responses.stream({ model: 'm', input: 'Hi' }).finalResponse()).status).toBe('in_progress');
  });

  it('stream-error-event: chat and Messages iterations throw the API error after the content already sent', async () => {
    const { openai, anthropic } = await setUp({ type: 'stream-error-event', afterChunks: 3 });
    const chat = await consume(await chatStream(openai));
    expect(chat.types).toHaveLength(3);
    expect(chat.error).toBeInstanceOf(OpenAI.APIError);
    expect((chat.error as Error).message).toMatch(/The server had an error/);
    const messages = await consume(await messagesStream(anthropic));
    expect(messages.types).toEqual(['message_start', 'content_block_start']);
    expect(messages.error).toBeInstanceOf(Anthropic.APIError);
    expect(messages.error).toMatchObject({ type: 'overloaded_error', status: undefined });
    const helper = anthropic.messages.stream({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });
    await expect(helper.finalMessage()).rejects.toMatchObject({ type: 'overloaded_error' });
  });

  it('stream-error-event on Responses: the nested error throws; the documented one and response.failed are yielded as events', async () => {
    const nested = await setUp({ type: 'stream-error-event', afterChunks: 5, variant: 'error-nested' });
    const nestedEnding = await consume(await responsesStream(nested.openai));
    expect(nestedEnding.types).toHaveLength(5);
    expect(nestedEnding.error).toBeInstanceOf(OpenAI.APIError);

    // openai-node 6.49.0 throws only on an `error` object inside the data, so the documented shape passes through
    // the raw iterator as an event; responses.stream() does reject with it.
    const documented = await setUp({ type: 'stream-error-event', afterChunks: 5 });
    const documentedEnding = await consume(await responsesStream(documented.openai));
    expect(documentedEnding).toEqual({ types: [...documentedEnding.types.slice(0, 5), 'error'] });
    const helper = documented.openai.responses.stream({ model: 'm', input: 'Hi' });
    await expect(helper.finalResponse()).rejects.toMatchObject({ type: 'error', code: 'server_error' });

    const failed = await setUp({ type: 'stream-error-event', afterChunks: 5, variant: 'response.failed' });
    const failedEnding = await consume(await responsesStream(failed.openai));
    expect(failedEnding.types.at(-1)).toBe('response.failed');
    expect(failedEnding.error).toBeUndefined();
    const final = await failed.openai.responses.stream({ model: 'm', input: 'Hi' }).finalResponse();
    expect(final).toMatchObject({ status: 'failed', error: { code: 'server_error' } });
  });

  it('malformed-sse: iteration throws a JSON error on all three streaming APIs', async () => {
    const { openai, anthropic, upstream } = await setUp({ type: 'malformed-sse', afterChunks: 4 });
    for (const ending of [await consume(await chatStream(openai)), await consume(await responsesStream(openai)), await consume(await messagesStream(anthropic))]) {
      expect(ending.error).toBeInstanceOf(SyntaxError);
    }
    expect(upstream.stats().byOutcome).toEqual({ 'malformed-sse': 3 });
  });
});

describe('connection faults through the real SDKs', () => {
  it('reset: both SDKs raise their connection error on the new routes', async () => {
    const { openai, anthropic, upstream } = await setUp({ type: 'reset' });
    upstream.setScript([{ fault: { type: 'reset' } }]);
    await expect(openai.responses.create({ model: 'm', input: 'Hi' })).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    await expect(anthropic.messages.create({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] })).rejects.toBeInstanceOf(
      Anthropic.APIConnectionError,
    );
    expect(upstream.stats().byOutcome).toEqual({ reset: 2 });
  });

  it('hang: a Messages request waits until the caller aborts', async () => {
    const { anthropic, upstream } = await setUp({ type: 'hang' });
    upstream.setScript([{ fault: { type: 'hang' } }]);
    const controller = new AbortController();
    const pending = anthropic.messages.create({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] }, { signal: controller.signal });
    await vi.waitFor(() => expect(upstream.stats().total).toBe(1));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(Anthropic.APIUserAbortError);
    expect(upstream.stats().byOutcome).toEqual({ hang: 1 });
  });
});
