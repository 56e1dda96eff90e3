import { describe, expect, it } from 'vitest';
import { AttemptsExhaustedError } from '../errors/attempts-exhausted-error';
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

  it('treats batches, fine-tuning jobs and Anthropic message batches as creations too', async () => {
    for (const path of ['/batches', '/fine_tuning/jobs', '/messages/batches', '/vector_stores', '/threads/thread_1/runs']) {
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
