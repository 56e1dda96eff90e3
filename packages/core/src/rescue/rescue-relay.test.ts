import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { continuationBody, endpointContinuation } from './continuation';
import { createDeliveredAnswer } from './delivered-answer';
import { createRescueRelay } from './rescue-relay';
import { maxHeldEvents } from './restart-probe';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const chunk = (content: string, finish: string | null = null, id = 'first') =>
  `data: ${JSON.stringify({ id, created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}\n\n`;

/** Feeds `text` to a relay in pieces cut at `cuts`, and returns what the caller receives. */
const feed = (relay: ReturnType<typeof createRescueRelay>, text: string, cuts: number[] = []) => {
  const bytes = encoder.encode(text);
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((left, right) => left - right);
  let out = '';
  let from = 0;
  for (const point of [...points, bytes.length]) {
    const piece = relay.push(bytes.subarray(from, point));
    if (piece) out += decoder.decode(piece);
    from = point;
  }
  const rest = relay.flush();
  return rest ? out + decoder.decode(rest) : out;
};
const contentOf = (sse: string) =>
  sse.split('\n\n').filter((event) => event.startsWith('data: {')).map((event) => JSON.parse(event.slice(6)).choices?.[0]?.delta?.content ?? '').join('');

describe('the relay of a first answer', () => {
  it('passes whole events through unchanged and notes the delivered text, however the bytes are split', () => {
    const events = [chunk('Hello'), ': keep-alive\n\n', chunk(' world'), 'data: [DONE]\n\n'].join('');
    fc.assert(fc.property(fc.array(fc.nat(events.length), { maxLength: 8 }), (cuts) => {
      const answer = createDeliveredAnswer();
      const out = feed(createRescueRelay({ mode: 'pass', answer, stripUsage: false }), events, cuts);
      expect(out).toBe(events);
      expect(answer).toMatchObject({ id: 'first', content: 'Hello world', textChunks: 2 });
    }));
  });

  it('holds back a half event: a cut stream never leaves one for the next segment to be glued to', () => {
    const relay = createRescueRelay({ mode: 'pass', answer: createDeliveredAnswer(), stripUsage: false });
    const event = chunk('Hello');
    expect(decoder.decode(relay.push(encoder.encode(event + event.slice(0, 20))))).toBe(event);
  });

  it('withholds an error event from the caller and remembers it', () => {
    const relay = createRescueRelay({ mode: 'pass', answer: createDeliveredAnswer(), stripUsage: false });
    expect(relay.push(encoder.encode('data: {"error":{"message":"overloaded"}}\n\n'))).toBeUndefined();
    expect(relay.upstreamError).toEqual({ message: 'overloaded' });
  });

  it(`withholds a choice that finished with finish_reason "error" (OpenRouter's failed generation), and what follows`, () => {
    const relay = createRescueRelay({ mode: 'pass', answer: createDeliveredAnswer(), stripUsage: false });
    expect(feed(relay, chunk('Hello') + chunk('', 'error') + 'data: [DONE]\n\n')).toBe(chunk('Hello'));
    expect(relay.upstreamError).toBe('a choice finished with finish_reason "error"');
  });

  it('withholds a chunk that opens a JSON object and does not parse, and everything after it', () => {
    const relay = createRescueRelay({ mode: 'pass', answer: createDeliveredAnswer(), stripUsage: false });
    const out = feed(relay, chunk('Hello') + 'data: {"id":"x","choices":[{"delta":{"content":"\n\n' + chunk(' world') + 'data: [DONE]\n\n');
    expect(out).toBe(chunk('Hello'));
    expect(relay.upstreamError).toBe('an event that is not valid JSON ({"id":"x","choices":[{"delta":{"content":")');
  });

  it('reads an object after JSON whitespace (every SDK parses it) and notes its text as delivered', () => {
    const answer = createDeliveredAnswer();
    const relay = createRescueRelay({ mode: 'pass', answer, stripUsage: false });
    const events = chunk('Hello') + chunk(' world').replace('data: ', 'data:  ') + chunk('!').replace('data: ', 'data: \t');
    expect(feed(relay, events)).toBe(events);
    expect(answer.content).toBe('Hello world!');
  });

  it('withholds an object after a byte order mark mid-stream (no SDK parses it), and reads past one that opens the stream', () => {
    const answer = createDeliveredAnswer();
    const relay = createRescueRelay({ mode: 'pass', answer, stripUsage: false });
    const opening = `\uFEFF${chunk('Hello')}`;
    // (The test's TextDecoder drops the opening mark, as SSE readers do.)
    expect(feed(relay, opening + chunk(' world').replace('data: ', 'data: \uFEFF'))).toBe(chunk('Hello'));
    expect(answer.content).toBe('Hello');
    expect(relay.upstreamError).toMatch(/^an event that is not valid JSON/);
  });

  it('relays data that is no JSON object as it is: a grammar Detour does not know is not a failure', () => {
    const relay = createRescueRelay({ mode: 'pass', answer: createDeliveredAnswer(), stripUsage: false });
    const events = chunk('Hello') + 'data: 42\n\n' + 'data: keep-alive\n\n' + 'data: [DONE]\n\n';
    expect(feed(relay, events)).toBe(events);
    expect(relay.upstreamError).toBeUndefined();
  });
});

describe('the relay of a replay', () => {
  // Law: for any answer, any cut point and any chunking of the replay, the caller receives the answer exactly once.
  it('delivers exactly the rest of a replay that repeats the delivered text', () => {
    fc.assert(fc.property(
      fc.array(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 }),
      fc.nat(),
      fc.array(fc.nat(), { maxLength: 6 }),
      (pieces, cutAt, splits) => {
        const whole = pieces.join('');
        const answer = createDeliveredAnswer();
        const delivered = pieces.slice(0, cutAt % (pieces.length + 1));
        feed(createRescueRelay({ mode: 'pass', answer, stripUsage: false }), delivered.map((piece) => chunk(piece)).join(''));
        // The replay's pieces differ from the first answer's: one character a chunk.
        const replay = [...whole].map((character) => chunk(character, null, 'second')).join('') + chunk('', 'stop', 'second') + 'data: [DONE]\n\n';
        const out = feed(createRescueRelay({ mode: 'replay', answer, stripUsage: false }), replay, splits);
        expect(delivered.join('') + contentOf(out)).toBe(whole);
        // In the first answer's name, once it has one.
        if (delivered.length > 0) expect(out).not.toContain('"second"');
      },
    ));
  });

  it('refuses a replay that departs from the delivered text, before relaying any of it', () => {
    const answer = createDeliveredAnswer();
    feed(createRescueRelay({ mode: 'pass', answer, stripUsage: false }), chunk('The cat sat'));
    const relay = createRescueRelay({ mode: 'replay', answer, stripUsage: false });
    expect(() => relay.push(encoder.encode(chunk('The dog')))).toThrow(/diverged from the delivered text after 4 characters/);
  });

  it('refuses a replay that ends before repeating the delivered text', () => {
    const answer = createDeliveredAnswer();
    feed(createRescueRelay({ mode: 'pass', answer, stripUsage: false }), chunk('The cat sat'));
    const relay = createRescueRelay({ mode: 'replay', answer, stripUsage: false });
    expect(() => feed(relay, chunk('The cat') + chunk('', 'stop'))).toThrow(/finished before repeating/);
  });
});

describe('continuation requests', () => {
  const json = { model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 50, seed: 7 };

  it('marks the prefix the way each dialect expects', () => {
    const last = (dialect: Parameters<typeof continuationBody>[1]['dialect']) =>
      JSON.parse(continuationBody(json, { prefix: 'Once upon ', dialect, model: 'x', deliveredTokens: 2 }).body);
    expect(last('deepseek').messages.at(-1)).toEqual({ role: 'assistant', content: 'Once upon ', prefix: true });
    expect(last('mistral').messages.at(-1)).toEqual({ role: 'assistant', content: 'Once upon ', prefix: true });
    expect(last('openrouter').messages.at(-1)).toEqual({ role: 'assistant', content: 'Once upon ' });
    expect(last('anthropic').messages.at(-1)).toEqual({ role: 'assistant', content: 'Once upon' });
    expect(last('vllm')).toMatchObject({ continue_final_message: true, add_generation_prompt: false, model: 'x', max_completion_tokens: 48, seed: 7 });
  });

  it('continues only in a declared dialect: never inferred from the provider', () => {
    expect(endpointContinuation({})).toBe('none');
    expect(endpointContinuation({ continuation: 'vllm' })).toBe('vllm');
    expect(endpointContinuation({ continuation: 'anthropic' })).toBe('anthropic');
    expect(endpointContinuation({ continuation: 'none' })).toBe('none');
  });
});

describe('the relay of a replay with reasoning and tool calls', () => {
  /** An answer's chunks: reasoning pieces, content pieces, then tool calls (name first, then argument pieces). */
  const chunksOf = (answer: { reasoning: string[]; content: string[]; tools: { name: string; args: string[] }[] }, id: string, callId: string) => [
    ...answer.reasoning.map((piece) => ({ reasoning_content: piece })),
    ...answer.content.map((piece) => ({ content: piece })),
    ...answer.tools.flatMap((tool, index) => [
      { tool_calls: [{ index, id: `${callId}_${index}`, type: 'function', function: { name: tool.name, arguments: '' } }] },
      ...tool.args.map((piece) => ({ tool_calls: [{ index, function: { arguments: piece } }] })),
    ]),
  ].map((delta) => `data: ${JSON.stringify({ id, created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);

  /** What a client accumulates from a stream: reasoning, content, and each tool call's name and arguments. */
  const accumulate = (sse: string, into = { reasoning: '', content: '', tools: [] as { name: string; args: string }[] }) => {
    for (const event of sse.split('\n\n')) {
      if (!event.startsWith('data: {')) continue;
      const delta = JSON.parse(event.slice(6)).choices?.[0]?.delta ?? {};
      into.reasoning += delta.reasoning_content ?? '';
      into.content += delta.content ?? '';
      for (const call of delta.tool_calls ?? []) {
        const tool = (into.tools[call.index] ??= { name: '', args: '' });
        tool.name += call.function?.name ?? '';
        tool.args += call.function?.arguments ?? '';
      }
    }
    return into;
  };

  const piece = fc.string({ minLength: 1, maxLength: 5 });
  const answers = fc.record({
    reasoning: fc.array(piece, { maxLength: 4 }),
    content: fc.array(piece, { maxLength: 4 }),
    tools: fc.array(fc.record({ name: fc.constantFrom('lookup', 'search'), args: fc.array(piece, { minLength: 1, maxLength: 4 }) }), { maxLength: 2 }),
  });

  it('gives the client the whole answer exactly once, wherever the first stream was cut', () => {
    fc.assert(fc.property(answers, fc.nat(), fc.array(fc.nat(), { maxLength: 4 }), (answer, cutAt, splits) => {
      const first = chunksOf(answer, 'first', 'call_a');
      const delivered = first.slice(0, cutAt % (first.length + 1)).join('');
      const tracked = createDeliveredAnswer();
      const client = accumulate(feed(createRescueRelay({ mode: 'pass', answer: tracked, stripUsage: false }), delivered));
      // The replay is the same answer, re-chunked one character a piece where it can be.
      const rechunked = { ...answer, content: [...answer.content.join('')] };
      const replay = chunksOf(rechunked, 'second', 'call_b').join('') + 'data: [DONE]\n\n';
      accumulate(feed(createRescueRelay({ mode: 'replay', answer: tracked, stripUsage: false }), replay, splits), client);
      expect(client.reasoning).toBe(answer.reasoning.join(''));
      expect(client.content).toBe(answer.content.join(''));
      expect(client.tools).toEqual(answer.tools.map((tool) => ({ name: tool.name, args: tool.args.join('') })));
    }));
  });

  it('refuses a replay whose tool arguments differ from the delivered ones', () => {
    const tracked = createDeliveredAnswer();
    feed(createRescueRelay({ mode: 'pass', answer: tracked, stripUsage: false }), chunksOf({ reasoning: [], content: [], tools: [{ name: 'lookup', args: ['{"city":"Pa'] }] }, 'first', 'a').join(''));
    const replay = chunksOf({ reasoning: [], content: [], tools: [{ name: 'lookup', args: ['{"city":"Lo', 'ndon"}'] }] }, 'second', 'b').join('');
    expect(() => feed(createRescueRelay({ mode: 'replay', answer: tracked, stripUsage: false }), replay)).toThrow(/diverged/);
  });
});

describe('the relay of a continuation, while it cannot yet tell a continuation from a restart', () => {
  it('holds at most maxHeldEvents events: past that, what it holds is released as a continuation', () => {
    const answer = createDeliveredAnswer();
    feed(createRescueRelay({ mode: 'pass', answer, stripUsage: false }), chunk('The cat sat'));
    const relay = createRescueRelay({ mode: 'continue', answer, stripUsage: false });
    // Comments: what a continuation sends before its text that the caller still receives (its reasoning is dropped).
    const thinking = (index: number) => `: processing ${index}\n\n`;
    let released = '';
    for (let index = 0; index < maxHeldEvents - 1; index += 1) released += decoder.decode(relay.push(encoder.encode(thinking(index))) ?? new Uint8Array());
    expect(released).toBe('');
    released += decoder.decode(relay.push(encoder.encode(thinking(maxHeldEvents))) ?? new Uint8Array());
    expect(released.split('\n\n').filter(Boolean)).toHaveLength(maxHeldEvents);
    // Past the bound, events flow one by one.
    expect(decoder.decode(relay.push(encoder.encode(chunk(' on the mat', null, 'second'))) ?? new Uint8Array())).toContain('on the mat');
  });
});

describe('rich answers (stop 45: a review of rescue under rich requests)', () => {
  const delta = (fields: Record<string, unknown>, id = 'first', extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id, created: 1, model: 'm', choices: [{ index: 0, delta: fields, finish_reason: null, ...extra }] })}\n\n`;
  const deltas = (sse: string) => sse.split('\n\n').filter((event) => event.startsWith('data: {')).map((event) => JSON.parse(event.slice(6)).choices[0]);

  it('never rescues an answer that said something a rescue does not compare: a refusal, audio', () => {
    for (const said of [{ refusal: "I'm sorry" }, { audio: { transcript: 'Hi' } }, { function_call: { name: 'f' } }]) {
      const answer = createDeliveredAnswer();
      feed(createRescueRelay({ mode: 'pass', answer, stripUsage: false }), delta({ role: 'assistant', content: '', refusal: null }) + delta(said));
      expect(answer.textOnly).toBe(false);
    }
    const plain = createDeliveredAnswer();
    feed(createRescueRelay({ mode: 'pass', answer: plain, stripUsage: false }), delta({ role: 'assistant', content: 'Hi', refusal: null, reasoning_details: [], audio: null, provider_specific_fields: {} }));
    expect(plain.textOnly).toBe(true);
  });

  it('trims every name of the reasoning on a replay, and drops the structured restatement of a cut piece', () => {
    const answer = createDeliveredAnswer();
    const piece = (text: string, id = 'first') => delta({ reasoning: text, reasoning_content: text, reasoning_details: [{ type: 'reasoning.text', text }] }, id);
    feed(createRescueRelay({ mode: 'pass', answer, stripUsage: false }), piece('Let me ') + piece('think'));
    const out = deltas(feed(createRescueRelay({ mode: 'replay', answer, stripUsage: false }), piece('Let me think', 'second') + piece(' more.', 'second') + delta({ content: 'Done.' }, 'second')));
    expect(out.map((choice) => choice.delta)).toEqual([
      { reasoning: ' more.', reasoning_content: ' more.', reasoning_details: [{ type: 'reasoning.text', text: ' more.' }] },
      { content: 'Done.' },
    ]);
  });

  it('keeps the log probabilities of a replayed piece the caller never had', () => {
    const answer = createDeliveredAnswer();
    const logprobs = (token: string) => ({ logprobs: { content: [{ token, logprob: -0.1 }] } });
    feed(createRescueRelay({ mode: 'pass', answer, stripUsage: false }), delta({ content: 'The' }, 'first', logprobs('The')) + delta({ content: ' sk' }, 'first', logprobs(' sk')));
    const replay = ['The', ' sky', ' is', ' blue.'].map((token) => delta({ content: token }, 'second', logprobs(token))).join('');
    const out = deltas(feed(createRescueRelay({ mode: 'replay', answer, stripUsage: false }), replay));
    expect(out.map((choice) => [choice.delta.content, choice.logprobs?.content[0].token])).toEqual([['y', undefined], [' is', ' is'], [' blue.', ' blue.']]);
  });

  it("drops a continuation's reasoning: it would come after the delivered text", () => {
    const answer = createDeliveredAnswer();
    feed(createRescueRelay({ mode: 'pass', answer, stripUsage: false }), chunk('The answer'));
    const continuation = delta({ reasoning: 'Continuing the sentence.' }, 'second') + delta({ content: ' is 42.' }, 'second');
    const out = deltas(feed(createRescueRelay({ mode: 'continue', answer, stripUsage: false }), continuation + 'data: [DONE]\n\n'));
    expect(out.map((choice) => choice.delta)).toEqual([{ content: ' is 42.' }]);
  });

  it("extends the caller's own trailing assistant message (its prefill) rather than adding a second", () => {
    const prefilled = { model: 'm', messages: [{ role: 'user', content: 'city?' }, { role: 'assistant', content: '{"city": "', name: 'bot' }] };
    const deepseek = JSON.parse(continuationBody(prefilled, { prefix: 'Par', dialect: 'deepseek', model: undefined, deliveredTokens: 1 }).body);
    expect(deepseek.messages).toEqual([{ role: 'user', content: 'city?' }, { role: 'assistant', content: '{"city": "Par', name: 'bot', prefix: true }]);
    const parts = { model: 'm', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: [{ type: 'text', text: 'Sure: ' }] }] };
    const anthropic = continuationBody(parts, { prefix: 'First block ', dialect: 'anthropic', model: undefined, deliveredTokens: 2 });
    expect(JSON.parse(anthropic.body).messages.at(-1)).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'Sure: First block' }] });
    expect(anthropic.trimmed).toBe(' ');
  });
});
