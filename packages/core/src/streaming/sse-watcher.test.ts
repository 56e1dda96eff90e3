import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chatStream,
  messageContent,
  messageEnd,
  messageInputUsage,
  messageStart,
  messagesStream,
  overloadedEvent,
  responsesDeltas,
  responsesHead,
  responsesStream,
  responsesTail,
} from './__fixtures__/streams';
import { createSseWatcher, type SseWatcher } from './sse-watcher';

const encoder = new TextEncoder();
const feed = (expected: number, ...events: string[]) => {
  const watcher = createSseWatcher(expected);
  for (const event of events) watcher.push(encoder.encode(`data: ${event}\n\n`));
  return watcher;
};

describe('createSseWatcher: usage on chat chunks', () => {
  it('reads the usage chunk however it is spaced, and takes "usage":null chunks for what they are', () => {
    const withNulls = feed(
      1,
      '{"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}],"usage":null}',
      '{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage" : null}',
      '{"choices":[],"usage" : {"prompt_tokens":7,"completion_tokens":2,"total_tokens":9}}',
      '[DONE]',
    );
    expect(withNulls.usage).toMatchObject({ inputTokens: 7, outputTokens: 2 });
    expect(withNulls.finished).toBe(true);
    expect(feed(1, '{"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}],"usage":null}').usage).toBeUndefined();
  });
});

describe('createSseWatcher: finish_reason per choice', () => {
  it('sees a finish_reason written with or without spaces, and ignores null ones', () => {
    expect(feed(1, '{"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}').choicesFinished).toBe(false);
    expect(feed(1, '{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}').choicesFinished).toBe(true);
    expect(feed(1, '{"choices": [{"index": 0, "delta": {}, "finish_reason" : "length"}]}').choicesFinished).toBe(true);
  });

  it('is not fooled by the words inside the text', () => {
    expect(feed(1, '{"choices":[{"index":0,"delta":{"content":"\\"finish_reason\\":\\"stop\\""},"finish_reason":null}]}').choicesFinished).toBe(false);
  });

  it('needs every one of n choices, each counted once', () => {
    const stop = (index: number) => `{"choices":[{"index":${index},"delta":{},"finish_reason":"stop"}]}`;
    expect(feed(2, stop(0), stop(0)).choicesFinished).toBe(false);
    expect(feed(2, stop(1), stop(0)).choicesFinished).toBe(true);
    expect(feed(2, stop(0)).finished).toBe(false); // not a terminating event: a usage chunk may follow
  });
});

const verdict = (watcher: SseWatcher) => ({
  finished: watcher.finished,
  error: watcher.error,
  usage: watcher.usage,
  events: watcher.events,
  outputEvents: watcher.outputEvents,
  responseId: watcher.responseId,
  choicesFinished: watcher.choicesFinished,
});

/** Feeds a stream as chunks cut at the given byte offsets. */
const feedSplit = (text: string, cuts: readonly number[]) => {
  const bytes = encoder.encode(text);
  const watcher = createSseWatcher();
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    watcher.push(bytes.subarray(from, cut));
    from = cut;
  }
  watcher.push(bytes.subarray(from));
  return watcher;
};
const whole = (text: string) => feedSplit(text, []);

describe('createSseWatcher: an event no parse can read', () => {
  const delta = (text: string) => JSON.stringify({ choices: [{ index: 0, delta: { content: text }, finish_reason: null }] });

  it.each([
    ['JSON cut short', '{"choices":[{"index":0,"delta":{"content":"wo'],
    ['text', 'upstream debug: retrying'],
    ['an array', '[1,2]'],
  ])('fails the stream on %s, as every SDK would', (_, data) => {
    const watcher = feed(1, delta('Hel'), data, delta('lo'), '[DONE]');
    expect(watcher.error).toMatchObject({ code: 'unreadable_event' });
  });

  it('reads JSON with blanks around it, an empty data line and [DONE] as no failure', () => {
    const watcher = createSseWatcher();
    watcher.push(encoder.encode(`data: ${delta('Hel')}  \n\ndata:   ${delta('lo')}\n\ndata:\n\ndata: [DONE]\n\n`));
    expect([watcher.error, watcher.finished]).toEqual([undefined, true]);
  });

  it('reads an event whose JSON runs over several data lines, as the SDKs join them', () => {
    const pretty = JSON.stringify(JSON.parse(delta('Hello')), null, 2).split('\n').map((line) => `data: ${line}`).join('\n');
    const finish = '{"choices":[{"index":0,"delta":{},\ndata: "finish_reason":"stop"}]}';
    const watcher = whole(`${pretty}\n\ndata: ${finish}\n\ndata: [DONE]\n\n`);
    expect([watcher.error, watcher.finished, watcher.events, watcher.choicesFinished]).toEqual([undefined, true, 3, true]);
    // Across reads, split anywhere.
    const split = createSseWatcher();
    const text = `${pretty}\n\n`;
    for (let at = 0; at < text.length; at += 7) split.push(encoder.encode(text.slice(at, at + 7)));
    expect([split.error, split.events]).toEqual([undefined, 1]);
  });

  it('reads a Messages event written over several lines', () => {
    const start = 'event: message_start\ndata: {\ndata:   "type": "message_start",\ndata:   "message": {"id": "msg_1", "usage": {"input_tokens": 9, "output_tokens": 1}}\ndata: }\n\n';
    const watcher = whole(start);
    expect([watcher.error, watcher.events, watcher.usage?.inputTokens]).toEqual([undefined, 1, 9]);
  });

  it('reads lines that end with a lone CR, as SSE allows, and hands them on as line feeds', () => {
    const watcher = createSseWatcher();
    const first = watcher.push(encoder.encode(`data: ${delta('a')}\r\rdata: [DO`));
    const second = watcher.push(encoder.encode('NE]\r'));
    const third = watcher.push(encoder.encode('\r'));
    expect([watcher.error, watcher.finished, watcher.events]).toEqual([undefined, true, 2]);
    const decoder = new TextDecoder();
    expect([first, second, third].map((bytes) => decoder.decode(bytes)).join('')).toBe(`data: ${delta('a')}\n\ndata: [DONE]\n\n`);
  });

  it('hands a CRLF stream on as it came, and one split between its CR and LF as one line end', () => {
    const watcher = createSseWatcher();
    const whole = encoder.encode(`data: ${delta('a')}\r\n\r\n`);
    expect(watcher.push(whole)).toBe(whole);
    const decoder = new TextDecoder();
    const parts = [watcher.push(encoder.encode('data: [DONE]\r')), watcher.push(encoder.encode('\n\r\n'))].map((bytes) => decoder.decode(bytes));
    expect(parts.join('')).toBe('data: [DONE]\n\r\n');
    expect([watcher.error, watcher.finished, watcher.events]).toEqual([undefined, true, 2]);
  });

  it('reads an event whose first data line is empty: joined, the JSON follows a blank', () => {
    const watcher = whole(`data:\ndata: ${delta('a')}\n\ndata: [DONE]\n\n`);
    expect([watcher.error, watcher.finished, watcher.events]).toEqual([undefined, true, 2]);
  });

  it('fails an event read whole that more data lines follow: joined, it is no JSON', () => {
    const watcher = whole(`data: ${delta('a')}\ndata: ${delta('b')}\n\n`);
    expect(watcher.error).toMatchObject({ code: 'unreadable_event' });
  });

  it('ends a chat stream on [DONE] with a trailing blank, as the openai SDK does', () => {
    const watcher = whole(`data: ${delta('a')}\n\ndata: [DONE] \n\n`);
    expect([watcher.error, watcher.finished]).toEqual([undefined, true]);
  });

  it('reads a ping on a chat stream as a keep-alive, not as a Messages stream', () => {
    const watcher = whole(`data: ${delta('a')}\n\nevent: ping\ndata: {}\n\ndata: [DONE]\n\n`);
    expect([watcher.error, watcher.finished, watcher.closeEnds]).toEqual([undefined, true, true]);
  });

  it('fails a Responses stream whose delta is cut short, and leaves a route of unknown grammar alone', () => {
    const cut = 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"wo\n\n';
    expect(whole(cut).error).toMatchObject({ code: 'unreadable_event' });
    const unknownRoute = createSseWatcher(1, Number.POSITIVE_INFINITY, true);
    unknownRoute.push(encoder.encode('data: raw audio frame\n\n'));
    expect(unknownRoute.error).toBeUndefined();
  });
});

describe('createSseWatcher: the Responses API', () => {
  it('ends cleanly on response.completed, with its usage, reasoning and cached tokens, and the response id', () => {
    const watcher = whole(responsesStream());
    expect(watcher.finished).toBe(true);
    expect(watcher.error).toBeUndefined();
    expect(watcher.responseId).toBe('resp_6e73db18a96d1');
    expect(watcher.usage).toEqual({ inputTokens: 1000, cachedInputTokens: 400, cacheWriteTokens: 0, cacheWrite1hTokens: 0, outputTokens: 300, reasoningTokens: 120 });
    expect(watcher.choicesFinished).toBe(false);
  });

  it('counts only the deltas as output, not the lifecycle events', () => {
    const watcher = whole(responsesStream());
    expect(watcher.outputEvents).toBe(3);
    expect(watcher.events).toBe(10);
  });

  it('knows the response id from response.created, before anything else arrives', () => {
    const watcher = whole(responsesHead()[0]!);
    expect(watcher.responseId).toBe('resp_6e73db18a96d1');
    expect(watcher.finished).toBe(false);
  });

  it('is cut when the stream closes before its terminal event, even after every delta', () => {
    const watcher = whole([...responsesHead(), ...responsesDeltas(['a', 'b'])].join(''));
    expect(watcher.finished).toBe(false);
    expect(watcher.choicesFinished).toBe(false);
    expect(watcher.outputEvents).toBe(2);
  });

  it('treats response.failed as a failure carrying the response error, and keeps its usage', () => {
    const error = { code: 'server_error', message: 'The server had an error' };
    const watcher = whole([...responsesHead(), ...responsesTail('failed', { error })].join(''));
    expect(watcher.finished).toBe(false);
    expect(watcher.error).toEqual(error);
    expect(watcher.usage?.outputTokens).toBe(300);
  });

  it(`ends cleanly on response.incomplete when the caller's max_output_tokens or the provider's filter stopped it`, () => {
    const capped = whole([...responsesHead(), ...responsesTail('incomplete', { incomplete_details: { reason: 'max_output_tokens' } })].join(''));
    expect(capped.finished).toBe(true);
    expect(capped.error).toBeUndefined();
    expect(capped.usage?.inputTokens).toBe(1000);
    // The provider's answer, as chat's finish_reason `content_filter` is (attack 24).
    const filtered = whole([...responsesHead(), ...responsesTail('incomplete', { incomplete_details: { reason: 'content_filter' } })].join(''));
    expect([filtered.finished, filtered.error]).toEqual([true, undefined]);
    const unknown = whole([...responsesHead(), ...responsesTail('incomplete', { incomplete_details: { reason: 'brand_new' } })].join(''));
    expect([unknown.finished, unknown.error]).toEqual([false, { reason: 'brand_new' }]);
    const unexplained = whole([...responsesHead(), 'event: response.incomplete\ndata: {"type":"response.incomplete"}\n\n'].join(''));
    expect(unexplained.finished).toBe(false);
    expect(unexplained.error).toBe('response.incomplete event');
  });

  it('sees an error event in the documented shape and in the nested one seen on the wire', () => {
    const flat = whole([...responsesHead(), 'event: error\ndata: {"type":"error","sequence_number":4,"code":"server_error","message":"boom","param":null}\n\n'].join(''));
    expect(flat.error).toMatchObject({ code: 'server_error', message: 'boom' });
    const nested = whole([...responsesHead(), 'event: error\ndata: {"type":"error","sequence_number":4,"error":{"type":"server_error","code":"server_error","message":"boom","param":null}}\n\n'].join(''));
    expect(nested.error).toMatchObject({ type: 'server_error', message: 'boom' });
  });

  it('counts an error event whose data never arrived as an error', () => {
    expect(whole(`${responsesHead().join('')}event: error\n`).error).toBe('error event');
  });

  it(`reads a stream that sends no event: lines by each data object's type`, () => {
    const bare = responsesStream().replace(/^event: .*\n/gm, '');
    const watcher = whole(bare);
    expect(verdict(watcher)).toEqual(verdict(whole(responsesStream())));
  });

  it('does not end a Responses stream on a [DONE] that comes before response.completed', () => {
    expect(whole([...responsesHead(), 'data: [DONE]\n\n'].join('')).finished).toBe(false);
  });
});

describe('createSseWatcher: Anthropic Messages', () => {
  it('does not count a ping, named or not, as an event: pings alone never commit a stream', () => {
    const watcher = createSseWatcher(1);
    watcher.push(encoder.encode('event: ping\ndata: {"type": "ping"}\n\ndata: {"type":"ping"}\n\n'));
    expect(watcher.events).toBe(0);
    watcher.push(encoder.encode(messageStart({ input_tokens: 1, output_tokens: 1 })));
    expect(watcher.events).toBe(1);
  });

  it(`ends cleanly on message_stop, merging message_start's input usage with message_delta's output`, () => {
    const watcher = whole(messagesStream());
    expect(watcher.finished).toBe(true);
    expect(watcher.error).toBeUndefined();
    expect(watcher.usage).toEqual({ inputTokens: 40 + 3000 + 1500 + 2250, cachedInputTokens: 3000, cacheWriteTokens: 1500, cacheWrite1hTokens: 2250, outputTokens: 8, reasoningTokens: 0 });
    expect(watcher.outputEvents).toBe(3);
    expect(watcher.responseId).toBeUndefined();
  });

  it(`reads message_start's usage as partial (its output count is a placeholder) until a message_delta's`, () => {
    const cut = whole([messageStart({ ...messageInputUsage, output_tokens: 1 }), ...messageContent(['a', 'b', 'c'])].join(''));
    expect(cut.usage?.outputTokens).toBe(1);
    expect(cut.usageComplete).toBe(false);
    expect(cut.outputEvents).toBe(3);
    expect(whole(messagesStream()).usageComplete).toBe(true);
  });

  it('takes the input and cache counts a newer message_delta restates', () => {
    const restated = { input_tokens: 50, cache_creation_input_tokens: 0, cache_read_input_tokens: 3750, output_tokens: 9 };
    const watcher = whole([messageStart(messageInputUsage), ...messageContent(['a']), ...messageEnd(restated)].join(''));
    // The lifetime split is message_start's, but the restated total wins: no writes are left.
    expect(watcher.usage).toMatchObject({ inputTokens: 50 + 3750 + 3750, cachedInputTokens: 3750, outputTokens: 9 });
  });

  it('counts cache writes without the lifetime split as 5-minute writes', () => {
    const watcher = whole([messageStart({ input_tokens: 10, cache_creation_input_tokens: 500, cache_read_input_tokens: 0 }), ...messageEnd({ output_tokens: 2 })].join(''));
    expect(watcher.usage).toMatchObject({ inputTokens: 510, cacheWriteTokens: 500, cacheWrite1hTokens: 0 });
  });

  it('is cut by an overloaded_error event, and by a close before message_stop', () => {
    const overloaded = whole([messageStart(messageInputUsage), ...messageContent(['a', 'b']), overloadedEvent].join(''));
    expect(overloaded.error).toEqual({ type: 'overloaded_error', message: 'Overloaded' });
    expect(overloaded.finished).toBe(false);
    const closed = whole([messageStart(messageInputUsage), ...messageContent(['a', 'b'])].join(''));
    expect(closed.finished).toBe(false);
    expect(closed.error).toBeUndefined();
    expect(closed.choicesFinished).toBe(false);
    expect(closed.closeEnds).toBe(false);
    expect(closed.missingTerminator).toBeUndefined();
  });

  it('is owed only message_stop after the message_delta that gives its stop_reason (the fifteenth attack)', () => {
    const stopped = whole([messageStart(messageInputUsage), ...messageContent(['a', 'b']), messageEnd({ output_tokens: 2 })[0]!, 'event: ping\ndata: {"type":"ping"}\n\n'].join(''));
    expect(stopped.finished).toBe(false);
    expect(stopped.usage?.outputTokens).toBe(2);
    expect(stopped.choicesFinished).toBe(true);
    expect(stopped.closeEnds).toBe(true);
    expect(stopped.missingTerminator).toBe('event: message_stop\ndata: {"type":"message_stop"}\n\n');
    // A block after the stop_reason is an answer going on: a cut then loses it.
    const goingOn = whole([messageStart(messageInputUsage), ...messageContent(['a']), messageEnd({ output_tokens: 1 })[0]!, ...messageContent(['b'])].join(''));
    expect(goingOn.closeEnds).toBe(false);
    expect(goingOn.missingTerminator).toBeUndefined();
    const ended = whole(messagesStream());
    expect(ended.finished).toBe(true);
    expect(ended.missingTerminator).toBeUndefined();
  });

  it('owes a named message_stop when its stop came unnamed in a stream that names its events (stop 45)', () => {
    const unnamedStop = whole([messageStart(messageInputUsage), ...messageContent(['a']), messageEnd({ output_tokens: 1 })[0]!, 'data: {"type":"message_stop"}\n\n'].join(''));
    expect(unnamedStop.finished).toBe(false);
    expect(unnamedStop.closeEnds).toBe(true);
    expect(unnamedStop.missingTerminator).toBe('event: message_stop\ndata: {"type":"message_stop"}\n\n');
    // A stream that names nothing is read by its data's types throughout: its own stop ends it.
    const dataOnly = whole('data: {"type":"message_start","message":{"id":"m","usage":{"input_tokens":1}}}\n\ndata: {"type":"message_stop"}\n\n');
    expect(dataOnly.finished).toBe(true);
    expect(dataOnly.missingTerminator).toBeUndefined();
  });
});

describe('createSseWatcher: chat completions', () => {
  it('ends on [DONE] with the usage chunk, reasoning tokens included, counting the chunks that carry output', () => {
    const watcher = whole(chatStream());
    expect(watcher.finished).toBe(true);
    expect(watcher.choicesFinished).toBe(true);
    expect(watcher.usage).toEqual({ inputTokens: 12, cachedInputTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, outputTokens: 30, reasoningTokens: 20 });
    expect(watcher.usageComplete).toBe(true);
    // The role chunk and the content chunk; not the finish chunk, the usage chunk or [DONE], which carry no output.
    expect(watcher.events).toBe(5);
    expect(watcher.outputEvents).toBe(2);
  });

  it('counts a finishing chunk that also carries output, and tool calls, as output', () => {
    const finishing = '{"choices":[{"index":0,"delta":{"content":"end"},"finish_reason":"stop"}]}';
    expect(feed(1, finishing).outputEvents).toBe(1);
    const tool = '{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]},"finish_reason":"tool_calls"}]}';
    expect(feed(1, tool).outputEvents).toBe(1);
    expect(feed(1, '{"choices":[{"index":0,"text":"legacy","finish_reason":"length"}]}').outputEvents).toBe(1);
  });

  it('sees a mid-stream error chunk', () => {
    expect(feed(1, '{"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}', '{"error":{"message":"upstream died","code":502}}').error).toEqual({ message: 'upstream died', code: 502 });
  });

  it(`sees OpenRouter's finish_reason "error" with no error object beside it as a failure, not an answer (attack 24)`, () => {
    const watcher = feed(1, '{"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}', '[DONE]');
    expect([watcher.error, watcher.choicesFinished]).toEqual(['a choice finished with finish_reason "error"', true]);
    expect(feed(1, '{"choices":[{"index":0,"delta":{},"finish_reason":"content_filter"}]}', '[DONE]').error).toBeUndefined();
    // Of two choices, one that failed leaves an answer, as a JSON answer of two does; both failed leave none.
    const one = feed(2, '{"choices":[{"index":0,"delta":{},"finish_reason":"error"}]}', '{"choices":[{"index":1,"delta":{},"finish_reason":"stop"}]}', '[DONE]');
    expect([one.error, one.finished]).toEqual([undefined, true]);
    expect(feed(2, '{"choices":[{"index":0,"delta":{},"finish_reason":"error"}]}', '{"choices":[{"index":1,"delta":{},"finish_reason":"error"}]}', '[DONE]').error).toBe('a choice finished with finish_reason "error"');
    // An upstream that ignores `n` sends one choice: that it failed leaves no answer (third review).
    expect(feed(2, '{"choices":[{"index":0,"delta":{"content":"partial"},"finish_reason":"error"}]}', '[DONE]').error).toBe('a choice finished with finish_reason "error"');
  });

  it("sees an error that is not the chunk's first key, and not one the model's text quotes (review of the fifteenth attack)", () => {
    const later = '{"id":"c1","object":"chat.completion.chunk","error":{"message":"provider rejected key …9XyZwVuT"},"choices":[]}';
    expect(feed(1, later).error).toEqual({ message: 'provider rejected key …9XyZwVuT' });
    expect(feed(1, '{"choices":[{"index":0,"delta":{"content":"{\\"error\\": 1}"},"finish_reason":null}]}').error).toBeUndefined();
  });
});

describe('createSseWatcher: chunk boundaries', () => {
  const samples = {
    responses: responsesStream(),
    messages: messagesStream(),
    chat: chatStream(),
    failed: [...responsesHead(), ...responsesTail('failed', { error: { code: 'server_error' } })].join(''),
    overloaded: [messageStart(messageInputUsage), ...messageContent(['é']), overloadedEvent].join(''),
  };

  for (const [name, text] of Object.entries(samples)) {
    it(`reaches the same verdict on the ${name} sample split at every byte`, () => {
      const expected = verdict(whole(text));
      const length = encoder.encode(text).length;
      for (let cut = 0; cut <= length; cut += 1) expect(verdict(feedSplit(text, [cut]))).toEqual(expected);
    });
  }

  it('reaches the same verdict however a stream is cut into chunks', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.values(samples)), fc.array(fc.nat(), { maxLength: 40 }), (text, offsets) => {
        const length = encoder.encode(text).length;
        const cuts = offsets.map((offset) => offset % (length + 1));
        expect(verdict(feedSplit(text, cuts))).toEqual(verdict(whole(text)));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws, whatever bytes arrive', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }), (chunks) => {
        const watcher = createSseWatcher();
        for (const chunk of chunks) watcher.push(chunk);
        return watcher.events >= 0 && watcher.outputEvents <= watcher.events;
      }),
    );
  });
});

describe('createSseWatcher: a line that never ends', () => {
  it('overflows once an unfinished line passes its limit, however it arrives, and never for many short lines', () => {
    const long = createSseWatcher(1, 100);
    for (let piece = 0; piece < 5; piece += 1) long.push(encoder.encode(piece === 0 ? 'data: ' : 'x'.repeat(20)));
    expect(long.overflowed).toBe(false);
    long.push(encoder.encode('x'.repeat(20)));
    expect(long.overflowed).toBe(true);
    const after = createSseWatcher(1, 100);
    after.push(encoder.encode(`data: [DONE]\n\ndata: ${'x'.repeat(120)}`));
    expect(after.overflowed).toBe(true);
    const many = createSseWatcher(1, 100);
    for (let event = 0; event < 50; event += 1) many.push(encoder.encode(`data: ${'x'.repeat(90)}\n\n`));
    expect(many.overflowed).toBe(false);
  });

  it('overflows once an event of short lines passes its limit without a blank line (attack 7, F2), and not when blank lines come', () => {
    // A relay holds an event whole until its blank line: 200 MiB of short lines took 1,119 MiB RSS.
    const lines = createSseWatcher(1, 100);
    for (let line = 0; line < 9; line += 1) lines.push(encoder.encode('data: 0123\n'));
    expect(lines.overflowed).toBe(false);
    lines.push(encoder.encode('data: 0123\r\ndata: 01'));
    expect(lines.overflowed).toBe(true);
    const spaced = createSseWatcher(1, 100);
    for (let event = 0; event < 50; event += 1) spaced.push(encoder.encode('data: 0123\ndata: 4567\r\n\r\n'));
    expect(spaced.overflowed).toBe(false);
  });
});

describe('createSseWatcher: Responses events that lie (attack 13)', () => {
  const named = (name: string, data: Record<string, unknown>) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
  const watch = (...events: string[]) => {
    const watcher = createSseWatcher();
    for (const event of events) watcher.push(encoder.encode(event));
    return watcher;
  };

  it('fails a stream whose event name and data type disagree, either way round', () => {
    // Named `response.completed` over a failed response: the openai SDK reads the data and yields it as an ordinary
    // last event; Detour, reading the name, had ended the stream clean.
    const completedOverFailed = watch(named('response.completed', { type: 'response.failed', response: { id: 'r', status: 'failed' } }));
    expect(completedOverFailed.error).toBeDefined();
    const failedOverCompleted = watch(named('response.failed', { type: 'response.completed', response: { id: 'r', status: 'completed' } }));
    expect(failedOverCompleted.error).toBeDefined();
    expect(watch(named('response.completed', { type: 'response.completed', response: { id: 'r', status: 'completed' } })).error).toBeUndefined();
  });

  it("reads an event named `message` (SSE's default, which some relays write on every event) by its data", () => {
    const relayed = watch(
      `event: message\ndata: ${JSON.stringify({ type: 'response.output_text.delta', delta: 'Hi' })}\n\n`,
      `event: message\ndata: ${JSON.stringify({ type: 'response.completed', response: { id: 'r', status: 'completed' } })}\n\n`,
    );
    expect([relayed.finished, relayed.error]).toEqual([true, undefined]);
  });

  it('reads a response.completed whose response failed or is incomplete as that', () => {
    const failed = watch(named('response.completed', { type: 'response.completed', response: { id: 'r', status: 'failed', error: { code: 'server_error' } } }));
    expect([failed.finished, failed.error]).toEqual([false, { code: 'server_error' }]);
    const filtered = watch(named('response.completed', { type: 'response.completed', response: { id: 'r', status: 'incomplete', incomplete_details: { reason: 'content_filter' } } }));
    expect([filtered.finished, filtered.error]).toEqual([true, undefined]);
    const unknown = watch(named('response.completed', { type: 'response.completed', response: { id: 'r', status: 'incomplete', incomplete_details: { reason: 'brand_new' } } }));
    expect([unknown.finished, unknown.error]).toEqual([false, { reason: 'brand_new' }]);
    const capped = watch(named('response.completed', { type: 'response.completed', response: { id: 'r', status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } }));
    expect([capped.finished, capped.error]).toEqual([true, undefined]);
  });
});
