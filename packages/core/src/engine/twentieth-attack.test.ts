import { describe, expect, it, vi } from 'vitest';
import { isReplayable } from '../apis/replayable-request';
import { AttemptsExhaustedError } from '../errors/attempts-exhausted-error';
import { StreamInterruptedError } from '../errors/stream-interrupted-error';
import type { CallerSignal } from '../ports/caller-signal';
import type { Transport, TransportRequest, TransportResponse } from '../ports/transport';
import type { RouterOptionsInput } from '../options/router-options-schema';
import { createFakeClock } from '../testing/fake-clock';
import { chatCompletion, createScriptedTransport, type EndpointScript, type ScriptedReply } from '../testing/scripted-transport';
import type { RouterEvent } from './events';
import { createRouter } from './router';

// Defects found by the twentieth attack (docs/attacks/twentieth): a POST that creates something sent twice; routes
// of no API sent across dialects; what the events and health said of resting endpoints and streams. Each test here
// failed on the code before its fix.

const endpoint = (name: string, extra: Record<string, unknown> = {}) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}-0123456789`, ...extra });

const setup = (
  scripts: Record<string, EndpointScript>,
  { endpoints = {}, options = {} }: { endpoints?: Record<string, Record<string, unknown>>; options?: Partial<RouterOptionsInput> } = {},
) => {
  const clock = createFakeClock();
  const transport = createScriptedTransport(scripts, { now: clock.now, advance: clock.advance });
  const router = createRouter(
    { endpoints: Object.keys(scripts).map((name) => endpoint(name, endpoints[name])), ...options } as RouterOptionsInput,
    { transport, clock, sleep: clock.sleep, random: () => 0 },
  );
  const events: RouterEvent[] = [];
  router.subscribe((event) => events.push(event));
  return { clock, transport, router, events };
};

const created = (name: string): ScriptedReply => ({ body: { id: `file-${name}`, object: 'file' } });
const serverError: ScriptedReply = { status: 500, body: { error: { message: 'internal error', type: 'server_error' } } };
const reset: ScriptedReply = { error: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) };
const refused: ScriptedReply = { error: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) };
const rateLimited: ScriptedReply = { status: 429, headers: { 'retry-after': '30' }, body: { error: { message: 'slow down', type: 'rate_limit_exceeded' } } };
const upload = (headers: Record<string, string> = {}) => ({ method: 'POST', path: '/files', headers: { 'content-type': 'multipart/form-data; boundary=x', ...headers }, body: '--x\r\n\r\nbytes\r\n--x--\r\n' });
const chat = (stream = false) => ({
  path: '/chat/completions', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], ...(stream ? { stream: true } : {}) }),
});

describe('the twentieth attack: a request that must not run twice (H1)', () => {
  it('neither retries nor fails over a POST /files after a 500: the file may exist already', async () => {
    const { router, transport } = setup({ a: [serverError, created('a')], b: [created('b')] });
    const failure = await router.send(upload()).catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(AttemptsExhaustedError);
    expect(failure).toMatchObject({ reason: 'not_replayable', retryable: false, lastResponse: { status: 500 } });
    expect((failure as Error).message).toContain('Idempotency-Key');
    expect(transport.calls.map((call) => call.request.endpoint)).toEqual(['a']);
  });

  it('does not send it again after a connection cut once it was sent, and tells the transport not to', async () => {
    const { router, transport } = setup({ a: [reset, created('a')], b: [created('b')] });
    await expect(router.send(upload())).rejects.toMatchObject({ reason: 'not_replayable' });
    expect(transport.calls).toHaveLength(1);
    expect(transport.calls[0]!.request.replayable).toBe(false);
  });

  it('does not send it again after its attempt timed out', async () => {
    const { router, transport, clock } = setup({ a: [{ hang: true }], b: [created('b')] }, { options: { attemptTimeoutMs: 1000 } });
    const pending = router.send(upload()).catch((caught: unknown) => caught);
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(1000);
    expect(await pending).toMatchObject({ reason: 'not_replayable' });
    expect(transport.calls).toHaveLength(1);
  });

  it('fails over after an answer that refused it (429) or a connection that was never made', async () => {
    const limited = setup({ a: [rateLimited], b: [created('b')] });
    expect((await limited.router.send(upload())).endpoint).toBe('b');
    const down = setup({ a: [refused], b: [created('b')] });
    expect((await down.router.send(upload())).endpoint).toBe('b');
    expect(down.transport.calls.map((call) => call.request.endpoint)).toEqual(['a', 'b']);
  });

  it('retries as before when the caller vouches with an Idempotency-Key, and for what only generates or is idempotent', async () => {
    const keyed = setup({ a: [serverError], b: [created('b')] });
    expect((await keyed.router.send(upload({ 'Idempotency-Key': 'upload-42' }))).endpoint).toBe('b');
    expect(keyed.transport.calls[1]!.request).toMatchObject({ replayable: true, headers: { 'idempotency-key': 'upload-42' } });
    const generating = setup({ a: [serverError], b: [{ body: chatCompletion('b') }] });
    expect((await generating.router.send(chat())).endpoint).toBe('b');
    const deleting = setup({ a: [serverError], b: [{ body: { id: 'file-1', deleted: true } }] });
    expect((await deleting.router.send({ method: 'DELETE', path: '/files/file-1' })).endpoint).toBe('b');
  });

  it('fails generation over under the prefixes a base URL leaves in the path: Azure deployments, Gemini, FIM (review)', async () => {
    for (const path of [
      '/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21', '/v1beta/openai/chat/completions', '/fim/completions',
      '/complete', '/v2/rerank', '/embed', '//chat/completions', '/v1beta/models/gemini-2.5-pro:generateContent',
      '/projects/p/locations/us-central1/endpoints/openapi/chat/completions', '/projects/p/locations/l/publishers/anthropic/models/claude:rawPredict',
      '/acct/gateway/openai/chat/completions', '/api/chat', '/model/anthropic.claude-v2/converse',
    ]) {
      const { router } = setup({ a: [serverError], b: [{ body: chatCompletion('b') }] });
      expect((await router.send({ method: 'POST', path, body: '{"model":"m","prompt":"def f():"}' })).endpoint, path).toBe('b');
    }
  });

  it('keeps a response that adds to a conversation or runs in the background to one attempt after a 500 (review)', async () => {
    for (const extra of [{ conversation: 'conv_123' }, { background: true }]) {
      // The endpoint holding the conversation says so when asked (the router looks it up first), then fails the POST.
      const holds: EndpointScript = (request) => (request.method === 'GET' ? { body: { id: 'conv_123', object: 'conversation' } } : serverError);
      const { router, transport } = setup({ a: holds, b: [{ status: 404, body: { error: { message: 'not found' } } }] });
      const body = JSON.stringify({ model: 'gpt-4.1', input: 'Hi', ...extra });
      await expect(router.send({ method: 'POST', path: '/responses', body })).rejects.toMatchObject({ reason: 'not_replayable' });
      expect(transport.calls.filter((call) => call.request.method === 'POST').map((call) => call.request.endpoint), JSON.stringify(extra)).toEqual(['a']);
    }
  });

  it('reads a compaction into a conversation as a change too, and an Idempotency-Key as the caller\'s word (review)', () => {
    expect(isReplayable('POST', '/responses/compact', {}, { model: 'gpt-4.1', conversation: 'conv_1' })).toBe(false);
    expect(isReplayable('POST', '/responses/compact', {}, { model: 'gpt-4.1', input: [] })).toBe(true);
    expect(isReplayable('POST', '/responses', { 'idempotency-key': 'k' }, { model: 'gpt-4.1', background: true })).toBe(true);
  });

  it('reads "did nothing" from the status, not the kind: a 500 or 502 whose body says overloaded may have done the work (review)', async () => {
    for (const [status, error] of [[500, { code: 'unavailable', message: 'try later' }], [502, { type: 'overloaded_error', message: 'Overloaded' }]] as const) {
      const { router, transport } = setup({ a: [{ status, body: { error } }], b: [created('b')] });
      await expect(router.send(upload())).rejects.toMatchObject({ reason: 'not_replayable' });
      expect(transport.calls).toHaveLength(1);
    }
    const overloaded = setup({ a: [{ status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } }], b: [created('b')] });
    expect((await overloaded.router.send(upload())).endpoint).toBe('b');
    // A provider's 503 names itself (an error type, a delay); a proxy's plain one may come after it forwarded the upload.
    const provider = setup({ a: [{ status: 503, body: { error: { message: 'overloaded', type: 'server_error' } } }], b: [created('b')] });
    expect((await provider.router.send(upload())).endpoint).toBe('b');
    const proxy = setup({ a: [{ status: 503, headers: { server: 'envoy' }, body: 'upstream connect error or disconnect/reset before headers. reset reason: connection termination' }], b: [created('b')] });
    await expect(proxy.router.send(upload())).rejects.toMatchObject({ reason: 'not_replayable' });
    expect(proxy.transport.calls).toHaveLength(1);
  });

  it('treats batches, fine-tuning jobs and Anthropic message batches as creations too', async () => {
    for (const path of ['/batches', '/fine_tuning/jobs', '/messages/batches', '/vector_stores', '/threads/thread_1/runs', '/threads/thread_1/messages', '/openai/deployments/d/files', '/v1beta/openai/batches', '/acct/gateway/openai/files', '/projects/p/locations/l/publishers/google/models/m:batchGenerateContent']) {
      const speaks = { apis: ['chat', 'messages'] };
      const { router, transport } = setup({ a: [serverError], b: [created('b')] }, { endpoints: { a: speaks, b: speaks } });
      await expect(router.send({ method: 'POST', path, body: '{"input_file_id":"file-1"}' })).rejects.toMatchObject({ reason: 'not_replayable' });
      expect(transport.calls).toHaveLength(1);
    }
  });
});

describe('the twentieth attack: a file\'s content is the file (L1)', () => {
  const decode = (body: Uint8Array | undefined) => new TextDecoder().decode(body);

  it('relays JSON Lines as they came, scrubbed as text, where reading them as one document failed every such file', async () => {
    const lines = '{"custom_id":"1","response":{"status_code":200}}\n{"custom_id":"2","echo":"sk-a-0123456789"}\n';
    const { router, transport } = setup({ a: [{ headers: { 'content-type': 'application/jsonl' }, body: lines }], b: [created('b')] });
    const result = await router.send({ path: '/files/file-1/content' });
    expect(result).toMatchObject({ status: 200, endpoint: 'a' });
    expect(decode(result.body)).toBe(lines.replace('sk-a-0123456789', '[redacted]'));
    expect(transport.calls).toHaveLength(1);
  });

  it('relays a JSON file that holds an `error` object as the file, not as the endpoint\'s failure', async () => {
    const file = '{"error":{"message":"a user\'s own data","code":500}}';
    const { router } = setup({ a: [{ body: file }], b: [created('b')] });
    const result = await router.send({ path: '/files/file-1/content' });
    expect(result).toMatchObject({ status: 200, endpoint: 'a' });
    expect(decode(result.body)).toBe(file);
  });
});

// Binary answers (M2): a transport whose endpoints answer in chunks, and what a router makes of them.
// A transport whose endpoints answer speech audio in chunks, after which `fail` (if given) breaks the body.
const audioTransport = (answers: Record<string, { chunks: Uint8Array[]; fail?: Error; type?: string; silent?: boolean }>): Transport & { calls: string[] } => {
  const calls: string[] = [];
  const transport = async (request: TransportRequest, signal: CallerSignal): Promise<TransportResponse> => {
    calls.push(request.endpoint);
    const { chunks, fail, type = 'audio/mpeg', silent = false } = answers[request.endpoint]!;
    return {
      status: 200, headers: { 'content-type': type }, cancel: () => undefined,
      body: { async *[Symbol.asyncIterator]() {
        for (const chunk of chunks) yield chunk;
        // Headers, then nothing until the attempt is aborted.
        if (silent) await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
        if (fail) throw fail;
      } },
    };
  };
  return Object.assign(transport, { calls });
};
const bytes = (size: number, seed: number) => new Uint8Array(size).map((_, index) => (index * seed) % 256);
const speech = { path: '/audio/speech', body: JSON.stringify({ model: 'tts-1', input: 'hi' }) };
const routerOn = (transport: Transport, names: string[], options: Partial<RouterOptionsInput> = {}) => {
  const clock = createFakeClock();
  const router = createRouter({ endpoints: names.map((name) => endpoint(name)), ...options } as RouterOptionsInput, { transport, clock, sleep: clock.sleep, random: () => 0 });
  const events: RouterEvent[] = [];
  router.subscribe((event) => events.push(event));
  return { router, events, clock };
};
const readAll = async (stream: AsyncIterableIterator<Uint8Array>) => {
  const parts: Uint8Array[] = [];
  let error: unknown;
  try {
    for await (const part of stream) parts.push(part);
  } catch (caught) {
    error = caught;
  }
  return { parts, error };
};

describe('the twentieth attack: a binary answer is relayed as it arrives (M2)', () => {
  it('relays each chunk as it came, past maxResponseBytes, every byte as sent, unpriced', async () => {
    const chunks = [bytes(3000, 7), bytes(3000, 11), bytes(3000, 13)];
    const { router, events } = routerOn(audioTransport({ a: { chunks } }), ['a'], { maxResponseBytes: 4096 });
    const result = await router.send(speech);
    expect(result.body).toBeUndefined();
    const { parts, error } = await readAll(result.stream!);
    expect(error).toBeUndefined();
    expect(parts).toEqual(chunks);
    expect(events.filter((event) => event.type === 'stream-end')).toMatchObject([{ endpoint: 'a', outcome: 'complete' }]);
    expect(events.filter((event) => event.type === 'cost-record')).toEqual([]);
    expect(events.find((event) => event.type === 'request-end')).toMatchObject({ ok: true });
  });

  it('never passes a body cut mid-way off as a whole one', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const { router, events } = routerOn(audioTransport({ a: { chunks: [bytes(100, 3)], fail: reset } }), ['a']);
    const { error } = await readAll((await router.send(speech)).stream!);
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect(events.filter((event) => event.type === 'stream-end')).toMatchObject([{ outcome: 'interrupted' }]);
  });

  it('fails over a body that fails before its first chunk, and keeps text answers read whole and scrubbed', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const transport = audioTransport({ a: { chunks: [], fail: reset }, b: { chunks: [bytes(10, 5)] } });
    const { router } = routerOn(transport, ['a', 'b']);
    const served = await router.send(speech);
    expect(served.endpoint).toBe('b');
    expect((await readAll(served.stream!)).parts).toEqual([bytes(10, 5)]);
    const text = routerOn(audioTransport({ a: { chunks: [new TextEncoder().encode('1\n00:00 --> 00:01\nsk-a-0123456789')], type: 'text/plain' } }), ['a']);
    const transcript = await text.router.send({ path: '/audio/transcriptions', body: JSON.stringify({ model: 'whisper-1' }) });
    expect(new TextDecoder().decode(transcript.body)).toBe('1\n00:00 --> 00:01\n[redacted]');
  });
});

describe('the twentieth attack: the binary relay\'s review', () => {
  it('fails over an answer whose headers came and then nothing, at bodyIdleTimeoutMs, as a body read whole did', async () => {
    const transport = audioTransport({ a: { chunks: [], silent: true }, b: { chunks: [bytes(10, 3)] } });
    const { router, clock } = routerOn(transport, ['a', 'b'], { bodyIdleTimeoutMs: 2000 });
    const pending = router.send(speech);
    await vi.waitFor(() => expect(transport.calls).toEqual(['a']));
    clock.advance(2000);
    expect((await pending).endpoint).toBe('b');
  });

  it('takes no empty chunk for the first byte: a failure after one still fails over', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const { router } = routerOn(audioTransport({ a: { chunks: [new Uint8Array(0)], fail: reset }, b: { chunks: [bytes(10, 3)] } }), ['a', 'b']);
    expect((await router.send(speech)).endpoint).toBe('b');
  });

  it('reads the media type, not its parameters: octet-stream named out.json is bytes, relayed as they come', async () => {
    const { router } = routerOn(audioTransport({ a: { chunks: [bytes(10, 3)], type: 'application/octet-stream; name="out.json"' } }), ['a']);
    const result = await router.send({ path: '/files/file-1/content' });
    expect(result.body).toBeUndefined();
    expect((await readAll(result.stream!)).parts).toEqual([bytes(10, 3)]);
  });
});

describe('the twentieth attack: a form names its model too (M3)', () => {
  const boundary = '----formdata-undici-0123';
  // As the openai SDK sends a transcription: the file first, then the model, binary bytes in between.
  const form = (model: string) => {
    const audio = new Uint8Array(4096).map((_, index) => (index * 37) % 256);
    const head = new TextEncoder().encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.mp3"\r\nContent-Type: audio/mpeg\r\n\r\n`);
    const tail = new TextEncoder().encode(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\n${model}\r\n--${boundary}--\r\n`);
    const body = new Uint8Array(head.length + audio.length + tail.length);
    body.set(head, 0);
    body.set(audio, head.length);
    body.set(tail, head.length + audio.length);
    return { body, audio, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
  };
  const text: ScriptedReply = { body: { text: 'hello' } };

  it('routes a transcription to the endpoint that serves its model, renamed there, every other byte as it came', async () => {
    const { router, transport } = setup(
      { chatOnly: [text], audio: [text] },
      { endpoints: { chatOnly: { models: ['gpt-4.1'] }, audio: { models: { 'whisper-1': 'whisper-large-v3' } } } },
    );
    const { body, audio, headers } = form('whisper-1');
    const result = await router.send({ method: 'POST', path: '/audio/transcriptions', headers, body });
    expect(result).toMatchObject({ endpoint: 'audio', model: 'whisper-1' });
    const sent = transport.calls[0]!.request.body as Uint8Array;
    const decoded = new TextDecoder('latin1').decode(sent);
    expect(decoded).toContain('name="model"\r\n\r\nwhisper-large-v3\r\n');
    expect(sent.length).toBe(body.length + 'whisper-large-v3'.length - 'whisper-1'.length);
    // The file's bytes untouched.
    const fileStart = decoded.indexOf('audio/mpeg\r\n\r\n') + 'audio/mpeg\r\n\r\n'.length;
    expect(sent.subarray(fileStart, fileStart + audio.length)).toEqual(audio);
  });

  it('refuses a form for a model no endpoint serves, as a JSON body is refused', async () => {
    const { router, transport } = setup({ chatOnly: [text] }, { endpoints: { chatOnly: { models: ['gpt-4.1'] } } });
    const { body, headers } = form('whisper-1');
    await expect(router.send({ method: 'POST', path: '/audio/transcriptions', headers, body })).rejects.toMatchObject({ code: 'model_not_found' });
    expect(transport.calls).toHaveLength(0);
  });

  it('reads no model from a form without one, a file part named model, or a body that is not the form it claims', async () => {
    const { router } = setup({ any: [text] }, { endpoints: { any: { models: ['gpt-4.1'] } } });
    const noModel = new TextEncoder().encode(`--${boundary}\r\nContent-Disposition: form-data; name="model"; filename="model"\r\n\r\nwhisper-1\r\n--${boundary}--\r\n`);
    const headers = { 'content-type': `multipart/form-data; boundary=${boundary}` };
    // Without a model, a request goes to any endpoint, as a JSON body without one does.
    expect((await router.send({ method: 'POST', path: '/audio/transcriptions', headers, body: noModel })).endpoint).toBe('any');
    expect((await router.send({ method: 'POST', path: '/audio/transcriptions', headers, body: new Uint8Array([1, 2, 3]) })).endpoint).toBe('any');
  });
});

describe('the twentieth attack: routes of no API stay in their dialect (M1)', () => {
  const models = (name: string): ScriptedReply => ({ body: { object: 'list', data: [{ id: `${name}-model` }] } });

  it('sends the openai SDK\'s /models and /files to OpenAI endpoints and the Anthropic SDK\'s to Anthropic ones', async () => {
    const { router, transport } = setup({ openai: [models('openai')], claude: [models('claude')] }, { endpoints: { claude: { provider: 'anthropic' } } });
    for (let request = 0; request < 4; request += 1) {
      expect((await router.send({ path: '/models' })).endpoint).toBe('openai');
      expect((await router.send({ path: '/files' })).endpoint).toBe('openai');
      expect((await router.send({ path: '/models', headers: { 'anthropic-version': '2023-06-01' } })).endpoint).toBe('claude');
    }
    expect(transport.callsTo('claude')).toHaveLength(4);
  });

  it('still sends them somewhere when no endpoint speaks the dialect', async () => {
    const { router } = setup({ claude: [models('claude')] }, { endpoints: { claude: { provider: 'anthropic' } } });
    expect((await router.send({ path: '/models' })).endpoint).toBe('claude');
  });
});

describe('the twentieth attack: what health and the events say (attack 20a)', () => {
  it('reports an endpoint resting after a 503 as available, with when its rest ends', async () => {
    const overloaded: ScriptedReply = { status: 503, body: { error: { message: 'overloaded' } } };
    const { router, clock } = setup({ a: [overloaded, { body: chatCompletion('a') }] });
    expect((await router.send(chat())).endpoint).toBe('a');
    const [health] = await router.health();
    expect(health).toMatchObject({ available: true, cooldownUntil: 0 });
    expect(health!.restingUntil).toBeGreaterThan(clock.now());
  });

  it('says how a committed stream ended, and files a rescued stream\'s first byte under the endpoint that sent it', async () => {
    const events = ['{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hello"},"finish_reason":null}]}'];
    const whole = [...events, '{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}', '[DONE]'];
    const { router, events: seen } = setup(
      { a: [{ events: whole, cut: { afterEvents: 1, mode: 'error' } }], b: [{ events: whole }] },
      { endpoints: { b: { continuation: 'vllm' } } },
    );
    const result = await router.send(chat(true));
    for await (const _ of result.stream!) void _;
    const ends = seen.filter((event) => event.type === 'stream-end');
    expect(ends).toMatchObject([{ endpoint: 'a', outcome: 'interrupted' }, { endpoint: 'b', outcome: 'complete', reason: undefined }]);
    expect(seen.find((event) => event.type === 'request-end')).toMatchObject({ endpoint: 'b', firstByteEndpoint: 'a' });
  });

  it('names the status that came when an error arrives inside a 200', async () => {
    const answer = ['{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}]}', '[DONE]'];
    const { router, events } = setup({ a: [{ events: ['{"error":{"message":"boom","type":"server_error"}}'] }], b: [{ events: answer }] });
    expect((await router.send(chat(true))).endpoint).toBe('b');
    const ended = events.find((event) => event.type === 'attempt-end' && event.endpoint === 'a');
    expect(ended).toMatchObject({ status: 200, reason: 'HTTP 200 with an error event: server_error' });
  });
});
