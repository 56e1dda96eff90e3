import { describe, expect, it } from 'vitest';
import { StreamInterruptedError } from '../errors/stream-interrupted-error';
import type { RouterOptionsInput } from '../options/router-options-schema';
import type { Transport, TransportRequest } from '../ports/transport';
import { createFakeClock } from '../testing/fake-clock';
import { createScriptedTransport, type EndpointScript, type ScriptedReply, requestText } from '../testing/scripted-transport';
import type { RouterEvent } from './events';
import { createRouter } from './router';

// A 60-token answer, one token a chunk, as the primary streams it.
const tokens = Array.from({ length: 60 }, (_, index) => (index === 0 ? 'Token0' : ` token${index}`));
const whole = tokens.join('');
const identity = { id: 'chatcmpl-primary', object: 'chat.completion.chunk', created: 111, model: 'model-a-2025' };

const chunk = (delta: Record<string, unknown>, finish: string | null = null, from = identity) =>
  JSON.stringify({ ...from, choices: [{ index: 0, delta, finish_reason: finish }] });
const usageChunk = (prompt: number, completion: number, from = identity) =>
  JSON.stringify({ ...from, choices: [], usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion } });

/** The events of an answer made of `pieces`, from an upstream that names itself `from`. */
const answer = (pieces: readonly string[], { from = identity, usage = false } = {}) => [
  chunk({ role: 'assistant', content: '' }, null, from),
  ...pieces.map((piece) => chunk({ content: piece }, null, from)),
  chunk({}, 'stop', from),
  ...(usage ? [usageChunk(12, pieces.length, from)] : []),
  '[DONE]',
];

const backupIdentity = { id: 'chatcmpl-backup', object: 'chat.completion.chunk', created: 999, model: 'model-b-2026' };
const bodyOf = (request: TransportRequest) => JSON.parse(requestText(request)) as { messages: { role: string; content: string; prefix?: boolean }[]; stream_options?: unknown };

/** A backup that continues an assistant prefix of the answer, or answers it whole (deterministically). */
// The fake upstreams' tokenizer, and Detour's estimate of delivered text: about 4 ASCII characters a token.
const prefixTokens = (text: string) => Math.ceil(text.length / 4);
const delivered40 = prefixTokens(tokens.slice(0, 40).join(''));

const continuing: EndpointScript = (request) => {
  const body = bodyOf(request);
  const last = body.messages.at(-1)!;
  const usage = body.stream_options !== undefined;
  if (last.role !== 'assistant') return { events: answer(tokens, { from: backupIdentity, usage }) };
  const rest = whole.slice(last.content.length);
  // Two tokens a chunk: the splice must not depend on the chunking.
  const single = rest.split(/(?= )/);
  const pieces = single.flatMap((piece, index) => (index % 2 === 0 ? [piece + (single[index + 1] ?? '')] : []));
  return { events: [chunk({ role: 'assistant', content: '' }, null, backupIdentity), ...pieces.map((piece) => chunk({ content: piece }, null, backupIdentity)), chunk({}, 'stop', backupIdentity), ...(usage ? [usageChunk(12 + prefixTokens(last.content), 20, backupIdentity)] : []), '[DONE]'] };
};
// Anthropic's OpenAI-compatible chat completions, declared to continue by prefill (`provider: 'anthropic'` alone
// speaks only `messages`, and no endpoint continues unless it says so).
const anthropicChat = { provider: 'anthropic', apis: ['chat'], continuation: 'anthropic' };
const endpoint = (name: string, extra: Record<string, unknown> = {}) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}`, ...extra });
const chat = (extra: Record<string, unknown> = {}) => ({
  path: '/chat/completions',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'count' }], stream: true, ...extra }),
});

const setup = (
  scripts: Record<string, EndpointScript>,
  endpoints: Record<string, Record<string, unknown>> = {},
  options: Partial<RouterOptionsInput> = {},
  wrap: (transport: Transport) => Transport = (transport) => transport,
) => {
  const clock = createFakeClock();
  const scripted = createScriptedTransport(scripts, { now: clock.now, advance: clock.advance });
  const router = createRouter(
    { endpoints: Object.keys(scripts).map((name) => endpoint(name, endpoints[name])), ...options } as RouterOptionsInput,
    { transport: wrap(scripted), clock, sleep: clock.sleep, random: () => 0 },
  );
  const events: RouterEvent[] = [];
  router.subscribe((event) => events.push(event));
  return { clock, transport: scripted, router, events };
};

/** Reads a stream to its end or its error: the text received, its parsed chunks, and how it ended. */
const drain = async (stream: AsyncIterableIterator<Uint8Array>) => {
  let text = '';
  let error: unknown;
  try {
    for await (const piece of stream) text += new TextDecoder().decode(piece);
  } catch (thrown) {
    error = thrown;
  }
  const datas = text.split('\n\n').filter((event) => event.includes('data: ')).map((event) => event.slice(event.indexOf('data: ') + 6));
  const chunks = datas.filter((data) => data.startsWith('{')).map((data) => JSON.parse(data) as Record<string, any>);
  const content = chunks.map((item) => item.choices?.[0]?.delta?.content ?? '').join('');
  return { text, error, chunks, content, done: datas.filter((data) => data === '[DONE]').length };
};

const cutAfter = (delivered: number, mode: 'error' | 'close' = 'error'): ScriptedReply => ({ events: answer(tokens), cut: { afterEvents: delivered + 1, mode } });

describe('mid-stream rescue: continue', () => {
  it('finishes a stream cut after 40 of 60 tokens on a backup that continues the prefix, as one answer', async () => {
    const { router, transport, events } = setup({ a: [cutAfter(40)], b: continuing }, { b: { continuation: 'mistral' } });
    const result = await router.send(chat());
    expect(result.endpoint).toBe('a');
    const read = await drain(result.stream!);
    expect(read.error).toBeUndefined();
    expect(read.content).toBe(whole);
    expect(read.done).toBe(1);
    expect(read.chunks.filter((item) => item.choices?.[0]?.finish_reason === 'stop')).toHaveLength(1);
    // One answer: every chunk keeps the first stream's identity, and the role is announced once.
    for (const item of read.chunks) expect(item).toMatchObject({ id: 'chatcmpl-primary', created: 111, model: 'model-a-2025' });
    expect(read.chunks.filter((item) => item.choices?.[0]?.delta?.role !== undefined)).toHaveLength(1);
    // The backup was asked to continue the delivered text in Mistral's terms.
    const sent = bodyOf(transport.callsTo('b')[0]!.request);
    expect(sent.messages.at(-1)).toEqual({ role: 'assistant', content: tokens.slice(0, 40).join(''), prefix: true });
    expect(events.filter((event) => event.type === 'stream-rescue')).toEqual([
      expect.objectContaining({ from: 'a', to: 'b', mode: 'continue', outcome: 'rescued' }),
    ]);
    expect(events.filter((event) => event.type === 'request-end')).toEqual([expect.objectContaining({ ok: true, endpoint: 'b', attempts: 2 })]);
    // Both attempts were billed and both are counted.
    expect(events.filter((event) => event.type === 'cost-record').map((event) => [event.endpoint, event.outcome])).toEqual([['a', 'failed'], ['b', 'success']]);
    // The cut is the primary's breaker failure (after its first event's success).
    expect(result.attempts.map((attempt) => attempt.endpoint)).toEqual(['a', 'b']);
  });

  it('reports the delivered answer\'s usage when the caller asked for it', async () => {
    const { router } = setup({ a: [cutAfter(40)], b: continuing }, { b: { continuation: 'vllm' } });
    const result = await router.send(chat({ stream_options: { include_usage: true } }));
    const read = await drain(result.stream!);
    expect(read.content).toBe(whole);
    const usage = read.chunks.filter((item) => item.usage);
    // The continuation's prompt held the delivered text (40 chunks, 309 characters, 78 tokens): they are output of the
    // answer the caller received, on top of the continuation's own 20.
    expect(usage).toEqual([expect.objectContaining({ id: 'chatcmpl-primary', usage: { prompt_tokens: 12, completion_tokens: 20 + delivered40, total_tokens: 32 + delivered40 } })]);
  });

  it('sends each dialect its own continuation request', async () => {
    const { router, transport } = setup({ a: [cutAfter(40)], b: continuing }, { b: { continuation: 'vllm' } });
    await drain((await router.send(chat({ max_tokens: 100 }))).stream!);
    const sent = JSON.parse(requestText(transport.callsTo('b')[0]!.request));
    // As bytes, like every body the transport gets.
    expect(transport.callsTo('b')[0]!.request.body).toBeInstanceOf(Uint8Array);
    expect(sent).toMatchObject({ continue_final_message: true, add_generation_prompt: false, max_tokens: 100 - delivered40 });
    expect(sent.messages.at(-1)).toEqual({ role: 'assistant', content: tokens.slice(0, 40).join('') });
  });

  it('does not double the whitespace Anthropic\'s prefill had to shed', async () => {
    const spaced = ['Hello', ' world.', '\n\n', 'Next', ' line.'];
    const prefilled: EndpointScript = (request) => {
      const last = bodyOf(request).messages.at(-1)!;
      expect(last.content).toBe('Hello world.');
      return { events: [chunk({ content: '\n\nNext' }, null, backupIdentity), chunk({ content: ' line.' }, null, backupIdentity), chunk({}, 'stop', backupIdentity), '[DONE]'] };
    };
    const { router } = setup({ a: [{ events: answer(spaced), cut: { afterEvents: 4, mode: 'close' } }], b: prefilled }, { b: anthropicChat });
    const read = await drain((await router.send(chat())).stream!);
    expect(read.content).toBe('Hello world.\n\nNext line.');
  });
});

describe('mid-stream rescue: replay', () => {
  it('relays only what follows the delivered text when the replay repeats it exactly', async () => {
    const { router, events } = setup({ a: [cutAfter(40)], b: continuing });
    const read = await drain((await router.send(chat())).stream!);
    expect(read.error).toBeUndefined();
    expect(read.content).toBe(whole);
    expect(read.done).toBe(1);
    expect(events.find((event) => event.type === 'stream-rescue')).toMatchObject({ mode: 'replay', outcome: 'rescued', to: 'b' });
  });

  it('ends with a clear error, never a spliced answer, when the replay diverges', async () => {
    const other = [...tokens.slice(0, 30), ' something', ' else', ' entirely'];
    const { router, events } = setup({ a: [cutAfter(40)], b: [{ events: answer(other, { from: backupIdentity }) }] });
    const read = await drain((await router.send(chat())).stream!);
    expect(read.error).toBeInstanceOf(StreamInterruptedError);
    const error = read.error as StreamInterruptedError;
    expect(error.endpoint).toBe('a');
    expect(error.rescue).toMatch(/replay on "b".*diverged/);
    expect(error.message).toMatch(/^The stream from endpoint "a" was interrupted .* A rescue was tried and failed: /);
    // What the caller received is a true prefix of the primary's answer, then Detour's error event.
    expect(whole.startsWith(read.content)).toBe(true);
    expect(read.content).toBe(tokens.slice(0, 40).join(''));
    expect(read.text).toMatch(/event: error\ndata: \{"error":\{"message":"The stream from endpoint \\"a\\"/);
    expect(read.done).toBe(0);
    expect(events.find((event) => event.type === 'stream-rescue')).toMatchObject({ mode: 'replay', outcome: 'diverged' });
    expect(events.filter((event) => event.type === 'request-end')).toEqual([expect.objectContaining({ ok: false, code: 'stream_interrupted' })]);
  });

  it('replays a tool call cut mid-arguments only when the replay repeats them exactly', async () => {
    const call = (args: string, first = false) =>
      chunk({ tool_calls: [{ index: 0, ...(first ? { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: args } } : { function: { arguments: args } }) }] });
    const events = [chunk({ role: 'assistant', content: null }), call('', true), call('{"ci'), call('ty":'), call('"Paris"}'), chunk({}, 'tool_calls'), '[DONE]'];
    const { router } = setup({ a: [{ events, cut: { afterEvents: 4, mode: 'error' } }], b: [{ events: events.map((event) => event.replace('call_1', 'call_2')) }] });
    const read = await drain((await router.send(chat())).stream!);
    expect(read.error).toBeUndefined();
    const args = read.chunks.flatMap((item) => item.choices?.[0]?.delta?.tool_calls ?? []).map((item: any) => item.function?.arguments ?? '').join('');
    expect(args).toBe('{"city":"Paris"}');
    // The caller keeps the first id; the replay's never reaches it.
    expect(read.text).not.toContain('call_2');
  });

  it('never continues a tool call: under rescue "continue" it is not rescued', async () => {
    const call = (args: string) => chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'lookup', arguments: args } }] });
    const { router, transport } = setup({ a: [{ events: [call('{"ci'), call('ty"'), '[DONE]'], cut: { afterEvents: 1, mode: 'error' } }], b: continuing }, { b: { continuation: 'mistral' } }, { rescue: 'continue' });
    const read = await drain((await router.send(chat())).stream!);
    expect(read.error).toBeInstanceOf(StreamInterruptedError);
    expect(transport.callsTo('b')).toHaveLength(0);
  });
});

describe('mid-stream rescue: a continue target that ignores the prefill', () => {
  /** Takes no notice of the assistant prefix: answers the whole question afresh, two tokens a chunk. */
  const ignoring = (pieces: readonly string[]): EndpointScript => () => {
    const pairs = pieces.flatMap((piece, index) => (index % 2 === 0 ? [piece + (pieces[index + 1] ?? '')] : []));
    return { events: answer(pairs, { from: backupIdentity }) };
  };

  it('relays only what follows the delivered text when the fresh answer repeats it exactly: the answer once, never spliced twice', async () => {
    const { router, transport, events } = setup({ a: [cutAfter(40)], b: ignoring(tokens) }, { b: { continuation: 'openrouter' } });
    const read = await drain((await router.send(chat())).stream!);
    expect(read.error).toBeUndefined();
    expect(read.content).toBe(whole);
    expect(read.done).toBe(1);
    expect(read.chunks.filter((item) => item.choices?.[0]?.finish_reason === 'stop')).toHaveLength(1);
    for (const item of read.chunks) expect(item.id).toBe('chatcmpl-primary');
    // It was asked to continue; what it sent was checked as a replay.
    expect(bodyOf(transport.callsTo('b')[0]!.request).messages.at(-1)).toMatchObject({ role: 'assistant', content: tokens.slice(0, 40).join('') });
    expect(events.find((event) => event.type === 'stream-rescue')).toMatchObject({ to: 'b', mode: 'continue', outcome: 'rescued' });
  });

  it('ends with the clear error when the fresh answer departs from the delivered text', async () => {
    const other = [...tokens.slice(0, 30), ' something', ' else', ' entirely'];
    const { router, events } = setup({ a: [cutAfter(40)], b: ignoring(other) }, { b: { continuation: 'mistral' } });
    const read = await drain((await router.send(chat())).stream!);
    expect(read.error).toBeInstanceOf(StreamInterruptedError);
    expect((read.error as StreamInterruptedError).rescue).toMatch(/^the continuation on "b" ignored the prefill and started the answer over, then diverged/);
    expect(read.content).toBe(tokens.slice(0, 40).join(''));
    expect(read.done).toBe(0);
    expect(events.find((event) => event.type === 'stream-rescue')).toMatchObject({ mode: 'continue', outcome: 'diverged' });
  });

  it('still splices a true continuation that starts like the answer did, but not with its first characters', async () => {
    // The answer begins "Token0 t"; this continuation begins "Token0" too, then goes on differently.
    const rest = [' token40', ...tokens.slice(41)];
    const echo: EndpointScript = () => ({ events: answer(['Token0', ' again', ...rest], { from: backupIdentity }) });
    const { router } = setup({ a: [cutAfter(40)], b: echo }, { b: { continuation: 'mistral' } });
    const read = await drain((await router.send(chat())).stream!);
    expect(read.error).toBeUndefined();
    expect(read.content).toBe(`${tokens.slice(0, 40).join('')}Token0 again${rest.join('')}`);
  });
});

describe('mid-stream rescue: limits', () => {
  it('never moves a rescue to a fallback model: a refusal during the rescue fails over to the next target of the same model', async () => {
    const flagged: ScriptedReply = { status: 400, body: { error: { message: 'Your request was rejected as a result of our safety system.', type: 'invalid_request_error', code: 'content_policy_violation' } } };
    const { router, transport, events } = setup(
      { a: [cutAfter(40)], b: [flagged], big: continuing, c: continuing },
      { b: { continuation: 'mistral' }, big: { models: ['gpt-4.1-big'] }, c: { priority: 1 } },
      { fallbacks: { 'gpt-4.1': { contentPolicy: 'gpt-4.1-big' } } },
    );
    const read = await drain((await router.send(chat())).stream!);
    expect(read.error).toBeUndefined();
    expect(read.content).toBe(whole);
    expect(transport.callsTo('big')).toHaveLength(0);
    expect(transport.callsTo('c')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'model-fallback')).toEqual([]);
  });


  it('hides the rescue\'s own 400: the caller\'s error names the original cut and says a rescue was tried', async () => {
    const rejects: ScriptedReply = { status: 400, body: { error: { message: 'This model does not support assistant message prefill.', type: 'invalid_request_error' } } };
    const { router, events } = setup({ a: [cutAfter(40), { status: 503, body: { error: { message: 'down' } } }], b: [rejects] }, { b: anthropicChat });
    const read = await drain((await router.send(chat())).stream!);
    expect(read.error).toBeInstanceOf(StreamInterruptedError);
    const error = read.error as StreamInterruptedError;
    expect(error.code).toBe('stream_interrupted');
    expect(error.endpoint).toBe('a');
    expect(error.message).toContain('A rescue was tried and failed');
    expect(error.rescue).toContain('"b"');
    expect(read.content).toBe(tokens.slice(0, 40).join(''));
    expect(events.find((event) => event.type === 'stream-rescue')).toMatchObject({ outcome: 'failed', mode: undefined });
    expect(events.filter((event) => event.type === 'request-end')).toEqual([expect.objectContaining({ ok: false, code: 'stream_interrupted' })]);
  });

  it('moves past a target that refuses prefill to one that can replay', async () => {
    const rejects: ScriptedReply = { status: 400, body: { error: { message: 'prefill not supported', type: 'invalid_request_error' } } };
    const { router, transport } = setup({ a: [cutAfter(40)], b: [rejects], c: continuing }, { b: anthropicChat, c: { priority: 1 } });
    const read = await drain((await router.send(chat())).stream!);
    expect(read.error).toBeUndefined();
    expect(read.content).toBe(whole);
    expect(transport.callsTo('b')).toHaveLength(1);
    expect(transport.callsTo('c')).toHaveLength(1);
  });

  it('never rescues a stream of several choices (n > 1)', async () => {
    const { router, transport } = setup({ a: [cutAfter(40)], b: continuing }, { b: { continuation: 'mistral' } });
    const read = await drain((await router.send(chat({ n: 2 }))).stream!);
    expect(read.error).toBeInstanceOf(StreamInterruptedError);
    expect((read.error as StreamInterruptedError).rescue).toBeUndefined();
    expect(transport.callsTo('b')).toHaveLength(0);
  });

  it('leaves a cut as it was with rescue "off"', async () => {
    const { router, transport } = setup({ a: [cutAfter(40)], b: continuing }, {}, { rescue: 'off' });
    const read = await drain((await router.send(chat())).stream!);
    expect(read.error).toBeInstanceOf(StreamInterruptedError);
    expect(transport.callsTo('b')).toHaveLength(0);
  });

  it('rescues on the same endpoint after its cooldown when it is the only one', async () => {
    const { router, transport, clock } = setup({ a: [cutAfter(40), { events: answer(tokens) }] }, {}, { cooldown: { overloadedMs: 1500 } });
    const started = clock.now();
    const read = await drain((await router.send(chat())).stream!);
    expect(read.content).toBe(whole);
    expect(transport.callsTo('a').map((call) => call.at - started)).toEqual([0, 1500]);
  });

  it('replays under the endpoint\'s own model name after a failover, though the served stream let go of its renamed bodies', async () => {
    // a refuses with a 503 (the served stream then holds no last failure); b serves under its own name and is cut,
    // and the replay on b (after its cooldown) is renamed afresh.
    const { router, transport } = setup(
      { a: [{ status: 503, headers: { 'retry-after': '60' }, body: { error: { message: 'overloaded' } } }], b: [cutAfter(40), { events: answer(tokens) }] },
      { b: { models: { 'gpt-4.1': 'b-gpt' } } },
      { cooldown: { overloadedMs: 1500 } },
    );
    const read = await drain((await router.send(chat())).stream!);
    expect(read.content).toBe(whole);
    const models = transport.callsTo('b').map((call) => (JSON.parse(requestText(call.request)) as { model: string }).model);
    expect(models).toEqual(['b-gpt', 'b-gpt']);
    expect(transport.callsTo('a')).toHaveLength(1);
  });

  it('rescues a rescue: a continuation cut in turn is continued again, still as one answer', async () => {
    // b continues but cuts after 5 more chunks the first time; c finishes.
    const cutting: EndpointScript = (request, count) => {
      const reply = continuing(request, count) as { events: string[] };
      return count === 1 ? { events: reply.events, cut: { afterEvents: 6, mode: 'close' } } : reply;
    };
    const { router, events } = setup({ a: [cutAfter(20)], b: cutting, c: continuing }, { b: { continuation: 'openrouter' }, c: { continuation: 'mistral', priority: 1 } });
    const read = await drain((await router.send(chat())).stream!);
    expect(read.error).toBeUndefined();
    expect(read.content).toBe(whole);
    expect(read.done).toBe(1);
    for (const item of read.chunks) expect(item.id).toBe('chatcmpl-primary');
    expect(events.filter((event) => event.type === 'stream-rescue')).toEqual([expect.objectContaining({ from: 'a', to: 'c', mode: 'continue', outcome: 'rescued' })]);
    expect(events.filter((event) => event.type === 'attempt-start').map((event) => event.endpoint)).toEqual(['a', 'b', 'c']);
  });

  it('does not rescue past the deadline, nor beyond maxAttempts', async () => {
    // The stream commits at once and outlives the deadline (streamDeadline 'first-byte'); its cut comes too late.
    const late = setup({ a: [cutAfter(40)], b: continuing }, { b: { continuation: 'mistral' } }, { deadlineMs: 4000 });
    const stream = (await late.router.send(chat())).stream!;
    for (let index = 0; index < 10; index += 1) await stream.next();
    late.clock.advance(5000);
    const rest = await drain(stream);
    expect(rest.error).toBeInstanceOf(StreamInterruptedError);
    expect(late.transport.callsTo('b')).toHaveLength(0);

    const spent = setup({ a: [cutAfter(40)], b: continuing }, { b: { continuation: 'mistral' } }, { maxAttempts: 1 });
    const read = await drain((await spent.router.send(chat())).stream!);
    expect(read.error).toBeInstanceOf(StreamInterruptedError);
    expect((read.error as StreamInterruptedError).rescue).toBeUndefined();
    expect(spent.transport.callsTo('b')).toHaveLength(0);
  });

  it('withholds an upstream error event and ends with Detour\'s when nothing can rescue', async () => {
    const events = [...answer(tokens).slice(0, 10), JSON.stringify({ error: { message: 'upstream overloaded', type: 'server_error' } })];
    const { router } = setup({ a: [{ events }] }, {}, { maxAttempts: 1 });
    const read = await drain((await router.send(chat())).stream!);
    expect(read.error).toBeInstanceOf(StreamInterruptedError);
    expect((read.error as StreamInterruptedError).message).toContain('upstream overloaded');
    expect(read.text.match(/event: error/g)).toHaveLength(1);
  });

  it('relays nothing the upstream sends after its error: no [DONE] or finish before the rescue or the error event', async () => {
    // OpenRouter's mid-stream error (a chunk with `error` and finish_reason "error"), then the terminators.
    const failing = [...answer(tokens).slice(0, 10), JSON.stringify({ ...identity, error: { message: 'provider died', code: 502 }, choices: [{ index: 0, delta: {}, finish_reason: 'error' }] }), chunk({}, 'stop'), '[DONE]'];
    const rescued = setup({ a: [{ events: failing }], b: continuing }, { b: { continuation: 'mistral' } });
    const whole = await drain((await rescued.router.send(chat())).stream!);
    expect(whole.error).toBeUndefined();
    expect(whole.text.match(/\[DONE\]/g)).toHaveLength(1);
    expect(whole.text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(whole.text.match(/"finish_reason":"stop"/g)).toHaveLength(1);

    const alone = setup({ a: [{ events: failing }] }, {}, { maxAttempts: 1 });
    const cut = await drain((await alone.router.send(chat())).stream!);
    expect(cut.error).toBeInstanceOf(StreamInterruptedError);
    expect(cut.text).not.toContain('[DONE]');
    expect(cut.text).not.toContain('"finish_reason":"stop"');
    expect(cut.text.match(/event: error/g)).toHaveLength(1);
  });

  it('rescues an answer that ended in finish_reason "error" with no error object, and never passes it off as whole (attack 24)', async () => {
    // OpenRouter's failed generation, as some of its providers end it: a finish_reason "error", then [DONE].
    const failing = [...answer(tokens).slice(0, 10), chunk({}, 'error'), '[DONE]'];
    const rescued = setup({ a: [{ events: failing }], b: continuing }, { b: { continuation: 'mistral' } });
    const whole = await drain((await rescued.router.send(chat())).stream!);
    expect([whole.error, whole.content, whole.done]).toEqual([undefined, tokens.join(''), 1]);
    expect(whole.text).not.toContain('"finish_reason":"error"');

    const alone = setup({ a: [{ events: failing }] }, {}, { maxAttempts: 1 });
    const cut = await drain((await alone.router.send(chat())).stream!);
    expect(cut.error).toBeInstanceOf(StreamInterruptedError);
    expect(cut.text).not.toContain('[DONE]');
    expect(alone.events.filter((event) => event.type === 'request-end')).toEqual([expect.objectContaining({ ok: false })]);
  });

  it('scrubs the endpoints\' keys from the upstream error it quotes in its own', async () => {
    const key = 'sk-a-0123456789-secret';
    const events = [...answer(tokens).slice(0, 10), JSON.stringify({ error: { message: `bad key ${key}`, type: 'server_error' } })];
    const { router } = setup({ a: [{ events }] }, { a: { apiKey: key } }, { maxAttempts: 1 });
    const read = await drain((await router.send(chat())).stream!);
    expect((read.error as StreamInterruptedError).message).toContain('bad key [redacted]');
    expect(read.text).toContain('bad key [redacted]');
    expect(read.text).not.toContain(key);
  });
});

describe('mid-stream rescue: the caller leaves', () => {
  it('stops a rescue in progress when the caller stops reading, and settles once as client_closed', async () => {
    const { router, transport, events, clock } = setup({ a: [cutAfter(40)], b: [{ hang: true }] });
    const stream = (await router.send(chat())).stream!;
    for (let index = 0; index < 41; index += 1) await stream.next();
    const pending = stream.next();
    for (let index = 0; index < 50 && transport.callsTo('b').length === 0; index += 1) await Promise.resolve();
    expect(transport.callsTo('b')).toHaveLength(1);
    await stream.return!();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    expect(events.filter((event) => event.type === 'request-end')).toEqual([expect.objectContaining({ ok: false, code: 'client_closed' })]);
    expect(events.filter((event) => event.type === 'stream-rescue')).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
    expect((await router.health()).map((entry) => entry.pending)).toEqual([0, 0]);
  });

  it('stops a rescue in progress when the caller aborts its signal', async () => {
    const { router, transport, events } = setup({ a: [cutAfter(40)], b: [{ hang: true }] });
    const controller = new AbortController();
    const stream = (await router.send({ ...chat(), signal: controller.signal })).stream!;
    for (let index = 0; index < 41; index += 1) await stream.next();
    const pending = stream.next();
    pending.catch(() => undefined);
    for (let index = 0; index < 50 && transport.callsTo('b').length === 0; index += 1) await Promise.resolve();
    controller.abort(new Error('bye'));
    await expect(pending).rejects.toThrow('bye');
    expect(events.filter((event) => event.type === 'request-end')).toEqual([expect.objectContaining({ ok: false, code: 'client_closed' })]);
  });
});

const encoder = new TextEncoder();

/** Endpoint `a`'s stream in the stall tests: 40 tokens (`sent` hears when each went out), then whatever `then` sends. */
const fortyTokensThen = (sent: (at: number) => void, clock: { now(): number }, then: () => AsyncGenerator<Uint8Array>) => ({
  status: 200, headers: { 'content-type': 'text/event-stream' }, cancel: () => undefined,
  body: (async function* () {
    for (const event of answer(tokens).slice(0, 41)) {
      sent(clock.now());
      yield encoder.encode(`data: ${event}\n\n`);
    }
    yield* then();
  })(),
});

describe('stall detection feeds rescue', () => {
  it('detects a stream silent past streamIdleTimeoutMs within that bound and finishes it elsewhere', async () => {
    const idleMs = 10_000;
    let lastByteAt = 0;
    let rescuedAt = 0;
    const { router, clock, events } = setup({ a: [cutAfter(60)], b: continuing }, { b: { continuation: 'deepseek' } }, { streamIdleTimeoutMs: idleMs }, (scripted) => async (request, signal) => {
      if (request.endpoint === 'b') rescuedAt = clock.now();
      if (request.endpoint !== 'a') return scripted(request, signal);
      // 40 tokens, then silence (no close, no error) until the attempt is cancelled.
      return fortyTokensThen((at) => (lastByteAt = at), clock, async function* () {
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
      });
    });
    const stream = (await router.send(chat())).stream!;
    let content = '';
    const reading = (async () => {
      for await (const piece of stream) {
        const text = new TextDecoder().decode(piece);
        for (const match of text.matchAll(/"content":"([^"]*)"/g)) content += match[1];
      }
    })();
    // Let the 40 tokens through, then let time pass one second at a time, as a real clock would.
    for (let second = 0; second < 30 && rescuedAt === 0; second += 1) {
      for (let index = 0; index < 50; index += 1) await Promise.resolve();
      clock.advance(1000);
    }
    await reading;
    expect(rescuedAt - lastByteAt).toBeGreaterThanOrEqual(idleMs);
    expect(rescuedAt - lastByteAt).toBeLessThanOrEqual(idleMs + 1000);
    expect(content).toBe(whole);
    expect(events.find((event) => event.type === 'stream-rescue')).toMatchObject({ from: 'a', to: 'b', mode: 'continue', outcome: 'rescued' });
    expect(events.find((event) => event.type === 'attempt-start' && event.endpoint === 'b')).toBeDefined();
  });

  it('cuts a stream that sends only keep-alives after its first tokens once deadlineMs passes without an event, visibly', async () => {
    // Past the request's deadline nothing is rescued (docs/rescue.md): the caller gets the cut, not a hang.
    const deadlineMs = 120_000;
    let lastEventAt = 0;
    const { router, clock, transport } = setup({ a: [cutAfter(60)], b: continuing }, { b: { continuation: 'deepseek' } }, { deadlineMs }, (scripted) => async (request, signal) => {
      if (request.endpoint !== 'a') return scripted(request, signal);
      // 40 tokens, then a keep-alive comment every 10 s (well inside the 60 s idle bound) until cancelled.
      return fortyTokensThen((at) => (lastEventAt = at), clock, async function* () {
        while (!signal.aborted) {
          await new Promise<void>((resolve) => clock.schedule(() => resolve(), 10_000));
          yield encoder.encode(': keep-alive\n\n');
        }
      });
    });
    const stream = (await router.send(chat())).stream!;
    let failedAt = 0;
    const reading = drain(stream).then((read) => {
      failedAt = clock.now();
      return read;
    });
    for (let second = 0; second < 300 && failedAt === 0; second += 1) {
      for (let index = 0; index < 50; index += 1) await Promise.resolve();
      clock.advance(1000);
    }
    const read = await reading;
    expect(read.error).toBeInstanceOf(StreamInterruptedError);
    expect((read.error as Error).message).toContain('keep-alives but no event for 120000 ms');
    expect(failedAt - lastEventAt).toBeGreaterThanOrEqual(deadlineMs);
    expect(failedAt - lastEventAt).toBeLessThanOrEqual(deadlineMs + 1000);
    expect(transport.callsTo('b')).toHaveLength(0);
    expect(clock.pendingTimers).toBe(0);
  });
  it('says the rescuing endpoint stalled when its replay goes silent and nothing is left to try', async () => {
    const call = (args: string, first = false) =>
      chunk({ tool_calls: [{ index: 0, ...(first ? { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: args } } : { function: { arguments: args } }) }] });
    const events = [chunk({ role: 'assistant', content: null }), call('', true), call('{"ci'), call('ty":'), call('"Paris"}'), chunk({}, 'tool_calls'), '[DONE]'];
    const { router, clock } = setup({ a: [{ events, cut: { afterEvents: 4, mode: 'close' } }], b: [] }, {}, { streamIdleTimeoutMs: 1500, firstByteTimeoutMs: 1500, deadlineMs: 6000, cooldown: { overloadedMs: 60_000 } }, (scripted) => async (request, signal) => {
      if (request.endpoint !== 'b') return scripted(request, signal);
      // The replay's first two events, still behind the cut, then silence until the attempt is cancelled.
      return {
        status: 200, headers: { 'content-type': 'text/event-stream' }, cancel: () => undefined,
        body: (async function* () {
          for (const event of events.slice(0, 2)) yield encoder.encode(`data: ${event}\n\n`);
          await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
        })(),
      };
    });
    const stream = (await router.send(chat())).stream!;
    let ended = false;
    const reading = drain(stream).finally(() => (ended = true));
    for (let step = 0; step < 200 && !ended; step += 1) {
      for (let index = 0; index < 50; index += 1) await Promise.resolve();
      clock.advance(100);
    }
    const read = await reading;
    expect(read.error).toBeInstanceOf(StreamInterruptedError);
    // Both endpoints broke this stream and cool down past its deadline: a second rescue finds nothing to try. Before,
    // the caller read only "no endpoint took the answer on (exhausted)", never that "b" had taken it on and stalled.
    expect((read.error as Error).message).toContain('A rescue was tried and failed: the rescued stream from "b" broke too (the upstream stalled: no bytes for 1500 ms); then no endpoint took the answer on (exhausted).');
  });
});

describe('heartbeats while a rescue runs', () => {
  const heartbeat = ': detour is rescuing this stream';
  /** A backup that answers after `headersAfterMs`, then replays the whole answer an event a second. */
  const slowReplay = (clock: { schedule(run: () => void, ms: number): unknown }, headersAfterMs: number, status = 200) => async () => {
    await new Promise<void>((resolve) => clock.schedule(resolve, headersAfterMs));
    if (status !== 200) return { status, headers: { 'content-type': 'application/json' }, cancel: () => undefined, body: (async function* () { yield encoder.encode('{"error":{"message":"no"}}'); })() };
    return {
      status, headers: { 'content-type': 'text/event-stream' }, cancel: () => undefined,
      body: (async function* () {
        for (const event of answer(tokens, { from: backupIdentity })) {
          await new Promise<void>((resolve) => clock.schedule(resolve, 1000));
          yield encoder.encode(`data: ${event}\n\n`);
        }
      })(),
    };
  };
  /** Reads the stream while a fake second passes at a time, as a real clock would move. */
  const readWhileTimePasses = async (clock: { advance(ms: number): void }, stream: AsyncIterableIterator<Uint8Array>) => {
    let finished = false;
    const reading = drain(stream).finally(() => (finished = true));
    for (let second = 0; second < 300 && !finished; second += 1) {
      for (let index = 0; index < 50; index += 1) await Promise.resolve();
      clock.advance(1000);
    }
    return reading;
  };
  const comments = (text: string) => text.split('\n\n').filter((event) => event.startsWith(':'));

  it('sends an SSE comment every rescueHeartbeatMs while the rescue waits for its first byte and a replay catches up', async () => {
    const { router, clock, events } = setup({ a: [cutAfter(40)], b: continuing }, {}, {}, (scripted) => (request, signal) =>
      request.endpoint === 'b' ? slowReplay(clock, 20_000)() : scripted(request, signal));
    const stream = (await router.send(chat())).stream!;
    const read = await readWhileTimePasses(clock, stream);
    expect(read.error).toBeUndefined();
    expect(read.content).toBe(whole);
    expect(read.done).toBe(1);
    // 20 s to the replay's headers, then 41 s repeating the delivered role and 40 tokens: about 61 s of silence,
    // broken every 15 s, each time at an event boundary and only after what was delivered before the cut.
    expect(comments(read.text)).toEqual([heartbeat, heartbeat, heartbeat, heartbeat]);
    expect(read.text.indexOf(heartbeat)).toBeGreaterThan(read.text.indexOf(tokens[39]!));
    expect(read.text.lastIndexOf(heartbeat)).toBeLessThan(read.text.indexOf(tokens[40]!));
    expect(events.find((event) => event.type === 'stream-rescue')).toMatchObject({ from: 'a', to: 'b', mode: 'replay', outcome: 'rescued' });
    expect(clock.pendingTimers).toBe(0);
  });

  it('sends none with rescueHeartbeatMs 0, and none on a stream that needs no rescue', async () => {
    const off = setup({ a: [cutAfter(40)], b: continuing }, {}, { rescueHeartbeatMs: 0 }, (scripted) => (request, signal) =>
      request.endpoint === 'b' ? slowReplay(off.clock, 20_000)() : scripted(request, signal));
    const read = await readWhileTimePasses(off.clock, (await off.router.send(chat())).stream!);
    expect(read.content).toBe(whole);
    expect(comments(read.text)).toEqual([]);
    const whole200 = setup({ a: [{ events: answer(tokens) }], b: continuing });
    const plain = await readWhileTimePasses(whole200.clock, (await whole200.router.send(chat())).stream!);
    expect(plain.content).toBe(whole);
    expect(comments(plain.text)).toEqual([]);
  });

  it('beats until a rescue that fails ends the stream with its error event', async () => {
    const { router, clock } = setup({ a: [cutAfter(40)], b: continuing }, {}, {}, (scripted) => (request, signal) =>
      request.endpoint === 'b' ? slowReplay(clock, 40_000, 400)() : scripted(request, signal));
    const read = await readWhileTimePasses(clock, (await router.send(chat())).stream!);
    // However long the rescue loop goes on (here the 400 at 40 s, then the cut endpoint again after its cooldown).
    expect(comments(read.text).length).toBeGreaterThanOrEqual(2);
    expect(new Set(comments(read.text))).toEqual(new Set([heartbeat]));
    expect(read.text.indexOf('event: error')).toBeGreaterThan(read.text.lastIndexOf(heartbeat));
    expect(read.error).toBeInstanceOf(StreamInterruptedError);
    expect(clock.pendingTimers).toBe(0);
  });

  it('leaves no timer behind when the caller stops reading during the rescue', async () => {
    const { router, clock } = setup({ a: [cutAfter(40)], b: continuing }, {}, {}, (scripted) => (request, signal) =>
      request.endpoint === 'b' ? slowReplay(clock, 60_000)() : scripted(request, signal));
    const stream = (await router.send(chat())).stream!;
    let text = '';
    while (!text.includes(heartbeat)) {
      const pending = stream.next();
      for (let index = 0; index < 50; index += 1) await Promise.resolve();
      clock.advance(1000);
      for (let second = 0; second < 30; second += 1) {
        const settled = await Promise.race([pending, Promise.resolve(undefined)]);
        if (settled) break;
        clock.advance(1000);
        for (let index = 0; index < 50; index += 1) await Promise.resolve();
      }
      const result = await pending;
      text += new TextDecoder().decode(result.value);
    }
    await stream.return!();
    for (let second = 0; second < 120; second += 1) {
      for (let index = 0; index < 20; index += 1) await Promise.resolve();
      clock.advance(1000);
    }
    expect(clock.pendingTimers).toBe(0);
  });

  const flush = async (times = 50) => {
    for (let index = 0; index < times; index += 1) await Promise.resolve();
  };

  it('settles as the caller\'s leaving, not the deadline, when the caller returns after a heartbeat; later reads are done', async () => {
    const { router, clock, events } = setup({ a: [cutAfter(40)], b: continuing }, {}, {}, (scripted) => (request, signal) =>
      request.endpoint === 'b' ? slowReplay(clock, 2_000)() : scripted(request, signal));
    const stream = (await router.send(chat())).stream!;
    for (let index = 0; index < 41; index += 1) await stream.next();
    let first: IteratorResult<Uint8Array> | undefined;
    void stream.next().then((result) => (first = result));
    for (let second = 0; second < 30 && first === undefined; second += 1) {
      await flush();
      clock.advance(1000);
    }
    expect(new TextDecoder().decode(first!.value)).toBe(`${heartbeat}\n\n`);
    await stream.return!();
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    for (let second = 0; second < 120; second += 1) {
      await flush(20);
      clock.advance(1000);
    }
    expect(events.filter((event) => event.type === 'request-end')).toEqual([expect.objectContaining({ ok: false, code: 'client_closed' })]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('gives the rescue\'s answer to one read only when two reads are queued, and the second reads on', async () => {
    const { router, clock } = setup({ a: [cutAfter(40)], b: continuing }, { b: { continuation: 'mistral' } }, {}, (scripted) => (request, signal) =>
      request.endpoint === 'b' ? (async () => {
        await new Promise<void>((resolve) => clock.schedule(resolve, 3_000));
        return scripted(request, signal);
      })() : scripted(request, signal));
    const stream = (await router.send(chat())).stream!;
    let text = '';
    for (let index = 0; index < 41; index += 1) text += new TextDecoder().decode((await stream.next()).value);
    // The second read is queued once the rescue is under way (the first read found the cut).
    const firstRead = stream.next();
    await flush(200);
    const reads = [firstRead, stream.next()];
    let settled = 0;
    for (const read of reads) void read.then(() => (settled += 1));
    for (let second = 0; second < 30 && settled < 2; second += 1) {
      await flush();
      clock.advance(1000);
    }
    for (const read of reads) text += new TextDecoder().decode((await read).value);
    const rest = await readWhileTimePasses(clock, stream);
    const content = [...(text + rest.text).matchAll(/"content":"([^"]*)"/g)].map((match) => match[1]).join('');
    expect(content).toBe(whole);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('a rescue that fails gives back what it took', () => {
  it('settles the quota its attempt reserved when its loop gives up (the retry budget spent)', async () => {
    const serverError: ScriptedReply = { status: 500, body: { error: { message: 'down', type: 'server_error' } } };
    const { router } = setup(
      { a: [cutAfter(40), cutAfter(40), cutAfter(40)], b: [serverError, serverError, serverError], c: [serverError, serverError, serverError] },
      { b: { priority: 1 }, c: { priority: 1 } },
      // One retry a window, earned by no traffic: the rescue spends it, and its second attempt is refused.
      { retryBudget: { ratio: 0, minPerSecond: 0.1, ttlMs: 10_000 }, breaker: { consecutiveFailures: 100 } },
    );
    for (let round = 0; round < 3; round += 1) {
      const read = await drain((await router.send(chat())).stream!);
      expect(read.error).toBeInstanceOf(StreamInterruptedError);
      // Each failed rescue left a reservation held for good before.
      expect(router.admission()!.reserved).toBe(0);
    }
  });
});
