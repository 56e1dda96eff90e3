import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { startUpstream } from '../../test/http';
import type { ChaosUpstream, RateLimitDialect } from '../types';

const clientFor = (upstream: ChaosUpstream): OpenAI => new OpenAI({ baseURL: upstream.baseUrl, apiKey: 'sk-test', maxRetries: 0 });
const DIALECTS: RateLimitDialect[] = ['openai', 'anthropic', 'azure', 'groq', 'ietf', 'openrouter', 'gemini'];

describe('the openai SDK 6.49.0 on /v1/responses', () => {
  it('responses.create parses the JSON answer and derives output_text', async () => {
    const client = clientFor(await startUpstream({ name: 'primary' }));
    const response = await client.responses.create({ model: 'gpt-4o-mini', input: 'Say hello.', instructions: 'Be brief.' });
    expect(response.output_text).toBe('Hello from primary. This is a scripted reply');
    expect(response.status).toBe('completed');
    expect(response.usage).toMatchObject({ input_tokens: 5, output_tokens: 8, total_tokens: 13 });
  });

  it('responses.create with stream: true yields every event up to response.completed', async () => {
    const client = clientFor(await startUpstream({ name: 'primary', completionTokens: 3 }));
    const stream = await client.responses.create({ model: 'gpt-4o-mini', input: [{ role: 'user', content: 'Say hello.' }], stream: true });
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
    expect(types.at(0)).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(text).toBe('Hello from primary.');
  });

  it('responses.stream accumulates the final response', async () => {
    const client = clientFor(await startUpstream({ name: 'primary' }));
    const stream = client.responses.stream({ model: 'gpt-4o-mini', input: 'Say hello.' });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();
    expect(final.output_text).toBe('Hello from primary. This is a scripted reply');
    expect(deltas).toHaveLength(8);
    expect(final.usage?.total_tokens).toBe(11);
  });

  it('retrieves, continues and deletes a stored response; an unknown id raises previous_response_not_found', async () => {
    const client = clientFor(await startUpstream());
    const first = await client.responses.create({ model: 'gpt-4o-mini', input: 'Say hello.' });
    expect((await client.responses.retrieve(first.id)).output_text).toBe(first.output_text);
    const next = await client.responses.create({ model: 'gpt-4o-mini', input: 'Again.', previous_response_id: first.id });
    expect(next.previous_response_id).toBe(first.id);
    await client.responses.delete(first.id);
    await expect(client.responses.retrieve(first.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const error = await client.responses
      .create({ model: 'gpt-4o-mini', input: 'Again.', previous_response_id: first.id })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, code: 'previous_response_not_found', param: 'previous_response_id' });
  });

  it.each(DIALECTS)('a %s 429 raises RateLimitError', async (dialect) => {
    const client = clientFor(await startUpstream({ script: [{ fault: { type: 'rate-limit', dialect } }] }));
    await expect(client.responses.create({ model: 'gpt-4o-mini', input: 'Hi' })).rejects.toBeInstanceOf(OpenAI.RateLimitError);
  });

  it('quota, context length, 5xx and 529 raise the matching SDK errors', async () => {
    const upstream = await startUpstream();
    const client = clientFor(upstream);
    const attempt = (): Promise<unknown> => client.responses.create({ model: 'gpt-4o-mini', input: 'Hi' }).catch((caught: unknown) => caught);
    upstream.setScript([{ fault: { type: 'insufficient-quota' } }]);
    expect(await attempt()).toMatchObject({ status: 429, code: 'insufficient_quota' });
    upstream.setScript([{ fault: { type: 'context-length' } }]);
    const tooLong = await attempt();
    expect(tooLong).toBeInstanceOf(OpenAI.BadRequestError);
    expect(tooLong).toMatchObject({ code: 'context_length_exceeded', param: 'input' });
    upstream.setScript([{ fault: { type: 'status', status: 503 } }]);
    expect(await attempt()).toBeInstanceOf(OpenAI.InternalServerError);
    upstream.setScript([{ fault: { type: 'status', status: 529 } }]);
    expect(await attempt()).toMatchObject({ status: 529 });
  });
});
