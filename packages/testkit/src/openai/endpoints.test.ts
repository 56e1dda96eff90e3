import { describe, expect, it } from 'vitest';
import { post, sseData, startUpstream } from '../../test/http';

describe('other OpenAI endpoints', () => {
  it('embeds inputs as small deterministic unit vectors with usage', async () => {
    const upstream = await startUpstream();
    const request = { model: 'text-embedding-3-small', input: ['alpha', 'beta'] };
    const body = await (await post(upstream, '/v1/embeddings', request)).json();
    expect(body).toMatchObject({ object: 'list', model: 'text-embedding-3-small', usage: { prompt_tokens: 3, total_tokens: 3 } });
    expect(body.data).toHaveLength(2);
    expect(body.data[0]).toMatchObject({ object: 'embedding', index: 0 });
    expect(body.data[0].embedding).toHaveLength(8);
    expect(Math.hypot(...body.data[0].embedding)).toBeCloseTo(1, 4);
    const again = await (await post(upstream, '/v1/embeddings', request)).json();
    expect(again.data).toEqual(body.data);
    expect(body.data[0].embedding).not.toEqual(body.data[1].embedding);
  });

  it('honours dimensions and base64 encoding as openai-node requests them', async () => {
    const upstream = await startUpstream();
    const floats = await (await post(upstream, '/v1/embeddings', { model: 'e', input: 'gamma', dimensions: 4 })).json();
    const encoded = await (await post(upstream, '/v1/embeddings', { model: 'e', input: 'gamma', dimensions: 4, encoding_format: 'base64' })).json();
    const bytes = Buffer.from(encoded.data[0].embedding, 'base64');
    const decoded = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
    expect(decoded).toHaveLength(4);
    decoded.forEach((value, index) => expect(value).toBeCloseTo(floats.data[0].embedding[index], 5));
  });

  it('answers legacy text completions in the text_completion shape', async () => {
    const upstream = await startUpstream({ name: 'legacy' });
    const body = await (await post(upstream, '/v1/completions', { model: 'gpt-3.5-turbo-instruct', prompt: 'Say hi' })).json();
    expect(body).toMatchObject({
      id: expect.stringMatching(/^cmpl-/),
      object: 'text_completion',
      model: 'gpt-3.5-turbo-instruct',
      choices: [{ text: 'Hello from legacy. This is a scripted reply', index: 0, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 2, completion_tokens: 8, total_tokens: 10 },
    });
  });

  it('streams legacy text completions, the last chunk stopping, then usage and [DONE]', async () => {
    const upstream = await startUpstream({ name: 'legacy' });
    const request = { model: 'i', prompt: 'Say hi', stream: true, stream_options: { include_usage: true } };
    const response = await post(upstream, '/v1/completions', request);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const data = sseData(await response.text());
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((payload) => JSON.parse(payload));
    expect(chunks.map((chunk) => chunk.choices[0]?.text ?? '').join('')).toBe('Hello from legacy. This is a scripted reply');
    expect(chunks.at(-2).choices[0].finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({ object: 'text_completion', choices: [], usage: { completion_tokens: 8 } });
  });

  it('lists models', async () => {
    const upstream = await startUpstream();
    const body = await (await fetch(`${upstream.baseUrl}/models`)).json();
    expect(body.object).toBe('list');
    expect(body.data[0]).toMatchObject({ id: 'gpt-4o-mini', object: 'model', owned_by: expect.any(String) });
  });

  it('answers an unknown path with a 404 OpenAI error', async () => {
    const upstream = await startUpstream();
    const response = await post(upstream, '/v1/nothing-here', {});
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { message: 'Invalid URL (POST /v1/nothing-here)', type: 'invalid_request_error', param: null, code: null },
    });
    expect(upstream.stats().byOutcome).toEqual({ 'not-found': 1 });
  });

  it('answers a body that is not JSON with a 400 OpenAI error', async () => {
    const upstream = await startUpstream();
    for (const body of ['{"model": "m",', '[1, 2]']) {
      const response = await post(upstream, '/v1/chat/completions', body);
      expect(response.status).toBe(400);
      const error = (await response.json()).error;
      expect(error).toMatchObject({ type: 'invalid_request_error', code: null });
      expect(error.message).toMatch(/could not parse the JSON body/);
    }
    expect(upstream.stats().byOutcome).toEqual({ 'invalid-json': 2 });
  });
});
