import OpenAI from 'openai';
import { describe, expect, it, vi } from 'vitest';
import { ANTHROPIC_HEADERS, chat, messagesBody, namedEvents, post, sseData, startUpstream } from '../../test/http';
import type { ChaosUpstream } from '../types';

/** The content deltas of a chat stream, in order. */
function chatDeltas(text: string): string[] {
  return sseData(text)
    .filter((data) => data !== '[DONE]')
    .map((data) => JSON.parse(data))
    .filter((chunk) => chunk.choices?.[0]?.delta?.content !== undefined && chunk.choices[0].delta.role === undefined)
    .map((chunk) => chunk.choices[0].delta.content as string);
}

const finishReasons = (text: string): unknown[] =>
  sseData(text)
    .filter((data) => data !== '[DONE]')
    .map((data) => JSON.parse(data).choices?.[0]?.finish_reason)
    .filter((reason) => reason !== null && reason !== undefined);

const ask = (content: string, extra: Record<string, unknown> = {}) => ({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content }],
  ...extra,
});

async function chatText(upstream: ChaosUpstream, body: Record<string, unknown>): Promise<string> {
  const response = await post(upstream, '/v1/chat/completions', body);
  expect(response.status).toBe(200);
  return (await response.json()).choices[0].message.content;
}

describe('answers', () => {
  it('deterministic: the same request gets the same text from every instance with the same seed, whatever its name', async () => {
    const primary = await startUpstream({ name: 'primary', answers: 'deterministic', completionTokens: 60, seed: 7 });
    const backup = await startUpstream({ name: 'backup', answers: 'deterministic', completionTokens: 60, seed: 7 });
    const text = await chatText(primary, ask('Tell me a story.'));
    expect(text.split(' ')).toHaveLength(60);
    expect(await chatText(primary, ask('Tell me a story.'))).toBe(text);
    expect(await chatText(backup, ask('Tell me a story.', { temperature: 0.2, model: 'other-name' }))).toBe(text);
    expect(await chatText(backup, ask('Tell me another story.'))).not.toBe(text);
    const reseeded = await startUpstream({ answers: 'deterministic', completionTokens: 60, seed: 8 });
    expect(await chatText(reseeded, ask('Tell me a story.'))).not.toBe(text);
  });

  it('deterministic answers stream the same text, one token per chunk', async () => {
    const upstream = await startUpstream({ answers: 'deterministic', completionTokens: 60 });
    const whole = await chatText(upstream, ask('Hi'));
    const deltas = chatDeltas(await (await post(upstream, '/v1/chat/completions', ask('Hi', { stream: true }))).text());
    expect(deltas).toHaveLength(60);
    expect(deltas.join('')).toBe(whole);
  });

  it('varying: the same request gets a different text each time', async () => {
    const upstream = await startUpstream({ answers: 'varying', completionTokens: 20 });
    const first = await chatText(upstream, ask('Hi'));
    const second = await chatText(upstream, ask('Hi'));
    expect(first).not.toBe(second);
    expect(second.split(' ')).toHaveLength(20);
  });

  it('vary-answer: the answer keeps the first N tokens and then differs', async () => {
    const upstream = await startUpstream({
      answers: 'deterministic',
      completionTokens: 30,
      script: [{ when: { nth: [2] }, fault: { type: 'vary-answer', afterTokens: 12 } }],
    });
    const usual = (await chatText(upstream, ask('Hi'))).split(' ');
    const varied = (await chatText(upstream, ask('Hi'))).split(' ');
    expect(varied.slice(0, 12)).toEqual(usual.slice(0, 12));
    expect(varied[12]).not.toBe(usual[12]);
    expect(varied).toHaveLength(30);
    expect(upstream.stats().byOutcome).toEqual({ ok: 1, 'vary-answer': 1 });
  });

  it('max_completion_tokens (or max_tokens) cuts a chat answer with finish_reason "length"', async () => {
    const upstream = await startUpstream({ completionTokens: 20 });
    const body = await (await post(upstream, '/v1/chat/completions', ask('Hi', { max_completion_tokens: 5 }))).json();
    expect(body.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: 'Hello from chaos. This is' } });
    expect(body.usage.completion_tokens).toBe(5);
    const text = await (await post(upstream, '/v1/chat/completions', ask('Hi', { max_tokens: 4, stream: true }))).text();
    expect(chatDeltas(text)).toHaveLength(4);
    expect(finishReasons(text)).toEqual(['length']);
  });
});

describe('breaks counted in content tokens', () => {
  it('cut-stream afterTokens: exactly N content tokens on chat, then a close without a finish_reason or [DONE]', async () => {
    const upstream = await startUpstream({ completionTokens: 60, script: [{ fault: { type: 'cut-stream', afterTokens: 40 } }] });
    const text = await (await chat(upstream, { stream: true })).text();
    expect(chatDeltas(text)).toHaveLength(40);
    expect(finishReasons(text)).toEqual([]);
    expect(text).not.toContain('[DONE]');
  });

  it('cut-stream afterTokens counts text deltas on Messages and Responses too', async () => {
    const upstream = await startUpstream({ completionTokens: 60, script: [{ fault: { type: 'cut-stream', afterTokens: 40 } }] });
    const messages = await (await post(upstream, '/v1/messages', messagesBody({ stream: true }), { headers: ANTHROPIC_HEADERS })).text();
    const deltas = namedEvents(messages).filter((event) => event.event === 'content_block_delta');
    expect(deltas).toHaveLength(40);
    expect(namedEvents(messages).at(-1)?.event).toBe('content_block_delta');
    const responses = await (await post(upstream, '/v1/responses', { model: 'gpt-4o-mini', input: 'Hi', stream: true })).text();
    expect(namedEvents(responses).filter((event) => event.event === 'response.output_text.delta')).toHaveLength(40);
  });

  it('afterTokens beyond the answer breaks after its last token, before the finish', async () => {
    const upstream = await startUpstream({ completionTokens: 5, script: [{ fault: { type: 'cut-stream', afterTokens: 99 } }] });
    const text = await (await chat(upstream, { stream: true })).text();
    expect(chatDeltas(text)).toHaveLength(5);
    expect(finishReasons(text)).toEqual([]);
  });

  it('stream-error-event afterTokens: N tokens, then the error chunk', async () => {
    const upstream = await startUpstream({ completionTokens: 20, script: [{ fault: { type: 'stream-error-event', afterTokens: 7 } }] });
    const text = await (await chat(upstream, { stream: true })).text();
    expect(chatDeltas(text)).toHaveLength(7);
    expect(JSON.parse(sseData(text).at(-1) ?? '{}').error.type).toBe('server_error');
  });

  it('rejects a cut with both or neither of afterChunks and afterTokens', async () => {
    await expect(startUpstream({ script: [{ fault: { type: 'cut-stream', afterChunks: 1, afterTokens: 2 } }] })).rejects.toThrow(
      /\[0\]\.fault\.afterChunks: give exactly one/,
    );
    await expect(startUpstream({ script: [{ fault: { type: 'cut-stream' } }] })).rejects.toThrow(/exactly one/);
  });
});

describe('stall', () => {
  it('goes silent after N tokens for ms, then finishes the stream normally', async () => {
    const upstream = await startUpstream({ completionTokens: 10, script: [{ fault: { type: 'stall', afterTokens: 4, ms: 300 } }] });
    const response = await chat(upstream, { stream: true });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const arrivals: { at: number; tokens: number }[] = [];
    const started = performance.now();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      arrivals.push({ at: performance.now() - started, tokens: chatDeltas(text).length });
    }
    expect(chatDeltas(text)).toHaveLength(10);
    expect(finishReasons(text)).toEqual(['stop']);
    const beforeStall = arrivals.filter((arrival) => arrival.tokens <= 4).at(-1)!;
    const afterStall = arrivals.find((arrival) => arrival.tokens > 4)!;
    // Measured at the client, which may read token 4 a little late on a busy machine: well above no stall at all.
    expect(afterStall.at - beforeStall.at).toBeGreaterThanOrEqual(200);
    expect(upstream.stats().byOutcome).toEqual({ stall: 1 });
  });

  it('without ms never resumes; keepAliveMs sends SSE comments meanwhile; the client hanging up is recorded', async () => {
    const upstream = await startUpstream({ completionTokens: 10, script: [{ fault: { type: 'stall', afterTokens: 3, keepAliveMs: 50 } }] });
    const controller = new AbortController();
    const response = await chat(upstream, { stream: true }, { signal: controller.signal });
    // Read until four keep-alives have come (the stall never ends by itself), then hang up.
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (text.split(': keep-alive\n\n').length - 1 < 4) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    controller.abort();
    await reader.cancel().catch(() => undefined);
    expect(chatDeltas(text)).toHaveLength(3);
    expect(text.split(': keep-alive\n\n').length - 1).toBeGreaterThanOrEqual(4);
    await vi.waitFor(() => expect(upstream.stats().requests[0]?.clientClosedAt).toBeDefined(), { timeout: 5000 });
    expect(upstream.stats().requests[0]?.outcome).toBe('stall');
  });

  it('pings on Messages while stalled', async () => {
    const upstream = await startUpstream({ script: [{ fault: { type: 'stall', afterTokens: 2, ms: 160, keepAliveMs: 50 } }] });
    const text = await (await post(upstream, '/v1/messages', messagesBody({ stream: true }), { headers: ANTHROPIC_HEADERS })).text();
    const events = namedEvents(text).map((event) => event.event);
    expect(events.filter((event) => event === 'ping').length).toBeGreaterThanOrEqual(3);
    expect(events.at(-1)).toBe('message_stop');
  });
});

describe('assistant prefill', () => {
  const base = { answers: 'deterministic' as const, completionTokens: 60, seed: 3 };
  const question = { role: 'user', content: 'Explain failover.' };

  async function wholeAnswer(): Promise<string> {
    const reference = await startUpstream(base);
    return chatText(reference, { model: 'm', messages: [question] });
  }

  it.each([
    ['deepseek', { prefix: true }, {}],
    ['mistral', { prefix: true }, {}],
    ['vllm', {}, { continue_final_message: true, add_generation_prompt: false }],
    ['openrouter', {}, {}],
    ['anthropic', {}, {}],
  ] as const)('%s: continues the answer from the end of the prefix, so prefix + continuation is the whole answer', async (dialect, flag, bodyFlag) => {
    const whole = await wholeAnswer();
    const upstream = await startUpstream({ ...base, prefill: dialect });
    for (const cutAt of [15, whole.indexOf(' ', 100), whole.indexOf(' ', 200) + 3]) {
      const prefix = whole.slice(0, cutAt).trimEnd();
      const messages = [question, { role: 'assistant', content: prefix, ...flag }];
      const body = { model: 'm', messages, stream: true, stream_options: { include_usage: true }, ...bodyFlag };
      const text = await (await post(upstream, '/v1/chat/completions', body)).text();
      expect(prefix + chatDeltas(text).join('')).toBe(whole);
      expect(finishReasons(text)).toEqual(['stop']);
    }
    expect(upstream.stats().requests.at(-1)?.continued).toBeDefined();
  });

  it('without the dialect flag the answer starts afresh (deepseek, vllm) or is a 400 (mistral)', async () => {
    const whole = await wholeAnswer();
    const prefix = whole.slice(0, 40);
    const messages = [question, { role: 'assistant', content: prefix }];
    const deepseek = await startUpstream({ ...base, prefill: 'deepseek' });
    expect((await chatText(deepseek, { model: 'm', messages })).startsWith(prefix)).toBe(false);
    const vllm = await startUpstream({ ...base, prefill: 'vllm' });
    expect(await chatText(vllm, { model: 'm', messages })).not.toBe(whole.slice(40));
    const mistral = await startUpstream({ ...base, prefill: 'mistral' });
    const refused = await post(mistral, '/v1/chat/completions', { model: 'm', messages });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ object: 'error', type: 'invalid_request_message_order' });
  });

  it('JSON answers carry only the continuation, and usage counts its tokens', async () => {
    const whole = await wholeAnswer();
    const upstream = await startUpstream({ ...base, prefill: 'deepseek' });
    const prefix = whole.split(' ').slice(0, 40).join(' ');
    const body = await (
      await post(upstream, '/v1/chat/completions', { model: 'm', messages: [question, { role: 'assistant', content: prefix, prefix: true }] })
    ).json();
    expect(prefix + body.choices[0].message.content).toBe(whole);
    expect(body.usage.completion_tokens).toBe(20);
  });

  it('the openai SDK streams a continuation like any answer', async () => {
    const whole = await wholeAnswer();
    const upstream = await startUpstream({ ...base, prefill: 'deepseek' });
    const client = new OpenAI({ baseURL: upstream.baseUrl, apiKey: 'test', maxRetries: 0 });
    const prefix = whole.split(' ').slice(0, 40).join(' ');
    const messages = [question, { role: 'assistant', content: prefix, prefix: true }] as OpenAI.ChatCompletionMessageParam[];
    let text = prefix;
    for await (const chunk of await client.chat.completions.create({ model: 'm', messages, stream: true })) {
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text).toBe(whole);
  });

  it('Messages: a trailing assistant message is continued in a stream; trailing whitespace is a 400', async () => {
    const reference = await startUpstream(base);
    const wholeBody = await (await post(reference, '/v1/messages', messagesBody({ messages: [question] }), { headers: ANTHROPIC_HEADERS })).json();
    const whole: string = wholeBody.content[0].text;
    const upstream = await startUpstream({ ...base, prefill: 'anthropic' });
    const prefix = whole.split(' ').slice(0, 33).join(' ');
    const messages = [question, { role: 'assistant', content: [{ type: 'text', text: prefix }] }];
    const text = await (await post(upstream, '/v1/messages', messagesBody({ messages, stream: true }), { headers: ANTHROPIC_HEADERS })).text();
    const deltas = namedEvents(text).filter((event) => event.event === 'content_block_delta');
    expect(prefix + deltas.map((event) => event.data.delta.text).join('')).toBe(whole);
    const spaced = [question, { role: 'assistant', content: `${prefix} ` }];
    const refused = await post(upstream, '/v1/messages', messagesBody({ messages: spaced }), { headers: ANTHROPIC_HEADERS });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.message).toBe('messages: final assistant content cannot end with trailing whitespace');
  });

  it('reject: any trailing assistant message is a 400 in the API’s shape, recorded as prefill-rejected', async () => {
    const upstream = await startUpstream({ ...base, prefill: 'reject' });
    const messages = [question, { role: 'assistant', content: 'The answer' }];
    const chatRefusal = await post(upstream, '/v1/chat/completions', { model: 'm', messages, stream: true });
    expect(chatRefusal.status).toBe(400);
    expect((await chatRefusal.json()).error).toMatchObject({ type: 'invalid_request_error', message: expect.stringContaining('does not support assistant message prefill') });
    const messagesRefusal = await post(upstream, '/v1/messages', messagesBody({ messages }), { headers: ANTHROPIC_HEADERS });
    expect(messagesRefusal.status).toBe(400);
    expect(await messagesRefusal.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(upstream.stats().byOutcome).toEqual({ 'prefill-rejected': 2 });
    // A conversation that ends with the user is answered as usual.
    expect(await chatText(upstream, { model: 'm', messages: [question] })).toBe(await wholeAnswer());
  });
});

describe('context windows', () => {
  const long = 'x'.repeat(4_000); // 1,000 prompt tokens

  it('a prompt longer than the model’s window is a 400 context_length_exceeded naming both figures', async () => {
    const upstream = await startUpstream({ contextWindows: { 'gpt-4.1-mini': 500, 'claude-haiku-4-5': 500 } });
    const tooLong = await post(upstream, '/v1/chat/completions', { model: 'gpt-4.1-mini', messages: [{ role: 'user', content: long }] });
    expect(tooLong.status).toBe(400);
    const body = await tooLong.json();
    expect(body.error).toMatchObject({ code: 'context_length_exceeded', type: 'invalid_request_error', param: 'messages' });
    expect(body.error.message).toContain('maximum context length is 500 tokens');
    expect(body.error.message).toContain('resulted in 1000 tokens');
    const responses = await post(upstream, '/v1/responses', { model: 'gpt-4.1-mini', input: long });
    expect((await responses.json()).error.code).toBe('context_length_exceeded');
    const messages = await post(upstream, '/v1/messages', messagesBody({ model: 'claude-haiku-4-5', messages: [{ role: 'user', content: long }] }), {
      headers: ANTHROPIC_HEADERS,
    });
    expect(messages.status).toBe(400);
    expect((await messages.json()).error).toMatchObject({ type: 'invalid_request_error', message: 'prompt is too long: 1000 tokens > 500 maximum' });
    expect(upstream.stats().byOutcome).toEqual({ 'context-length': 3 });
  });

  it('other models, and prompts that fit, are answered', async () => {
    const upstream = await startUpstream({ contextWindows: { 'gpt-4.1-mini': 500 } });
    const bigger = await post(upstream, '/v1/chat/completions', { model: 'gpt-4.1', messages: [{ role: 'user', content: long }] });
    expect(bigger.status).toBe(200);
    const fits = await post(upstream, '/v1/chat/completions', { model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'short' }] });
    expect(fits.status).toBe(200);
  });
});

describe('validation of the new options and faults', () => {
  it('accepts stall, vary-answer, answers, prefill and contextWindows, and names bad values', async () => {
    const { parseOptionsFile, parseScript } = await import('../script/parse-script');
    expect(parseScript([{ fault: { type: 'stall', afterTokens: 3, ms: 100, keepAliveMs: 20 } }, { fault: { type: 'vary-answer' } }])).toHaveLength(2);
    expect(() => parseScript([{ fault: { type: 'stall', ms: 100 } }])).toThrow(/\[0\]\.fault\.afterTokens/);
    expect(parseOptionsFile({ answers: 'varying', prefill: 'vllm', contextWindows: { m: 10 } })).toMatchObject({ prefill: 'vllm' });
    expect(() => parseOptionsFile({ prefill: 'gemini' })).toThrow(/prefill/);
    expect(() => parseOptionsFile({ contextWindows: { m: 0 } })).toThrow(/contextWindows\.m/);
  });
});
