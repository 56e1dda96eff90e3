import { describe, expect, it } from 'vitest';
import { chat, sseData, startUpstream } from '../../test/http';
import type { ReplyContext } from './prepared-reply';
import { chatCompletionStream } from './stream';

describe('streamed chat completions', () => {
  it('streams OpenAI chunks: a role first, one chunk per word, a stop chunk, then [DONE]', async () => {
    const upstream = await startUpstream({ name: 'primary' });
    const response = await chat(upstream, { stream: true, model: 'stream-model' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await response.text();
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    const data = sseData(text);
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((payload) => JSON.parse(payload));
    expect(chunks).toHaveLength(1 + 8 + 1);
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ id: chunks[0].id, object: 'chat.completion.chunk', model: 'stream-model', created: expect.any(Number) });
      expect(chunk.id).toMatch(/^chatcmpl-/);
      expect(chunk).not.toHaveProperty('usage');
    }
    expect(chunks[0].choices).toEqual([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }]);
    const content = chunks.map((chunk) => chunk.choices[0].delta.content ?? '').join('');
    expect(content).toBe('Hello from primary. This is a scripted reply');
    expect(chunks.slice(0, -1).every((chunk) => chunk.choices[0].finish_reason === null)).toBe(true);
    expect(chunks.at(-1).choices).toEqual([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]);
  });

  it('adds a final usage chunk with empty choices when include_usage is set', async () => {
    const upstream = await startUpstream();
    const text = await (await chat(upstream, { stream: true, stream_options: { include_usage: true } })).text();
    const data = sseData(text);
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((payload) => JSON.parse(payload));
    const last = chunks.at(-1);
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 8, total_tokens: 11 });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    expect(chunks.at(-2).choices[0].finish_reason).toBe('stop');
  });

  it('sends one content chunk per word, so completionTokens sets the chunk count', async () => {
    const upstream = await startUpstream({ completionTokens: 30 });
    const data = sseData(await (await chat(upstream, { stream: true })).text());
    expect(data).toHaveLength(1 + 30 + 1 + 1);
  });

  it('delivers the same stream when chunks are spaced out by chunkDelayMs', async () => {
    const upstream = await startUpstream({ name: 'slow', chunkDelayMs: 2 });
    const data = sseData(await (await chat(upstream, { stream: true })).text());
    expect(data).toHaveLength(11);
    expect(data.at(-1)).toBe('[DONE]');
  });

  it('sends the usage chunk with the finish chunk, not a pacing delay after it (a provider generates nothing for it)', () => {
    const context = { id: '1', created: 0, model: 'm', promptTokens: 3, body: { stream: true, stream_options: { include_usage: true } } } as unknown as ReplyContext;
    const reply = chatCompletionStream(context, ['Hi', ' there'], 'stop');
    if (reply.kind !== 'stream') throw new Error('expected a stream');
    expect(reply.unpacedEvent).toBe(reply.events.length - 2);
    expect(JSON.parse(sseData(reply.events[reply.unpacedEvent!]!)[0]!).choices).toEqual([]);
    const withoutUsage = chatCompletionStream({ ...context, body: { stream: true } } as ReplyContext, ['Hi'], 'stop');
    expect(withoutUsage.kind === 'stream' && withoutUsage.unpacedEvent).toBeUndefined();
  });
});
