import { describe, expect, it } from 'vitest';
import { AbortSource } from '../budget/abort-source';
import { StreamInterruptedError } from '../errors/stream-interrupted-error';
import { guardStream, type StreamSettlement } from './guard-stream';
import { createSseWatcher } from './sse-watcher';
import { createFakeClock } from '../testing/fake-clock';
import { createUsageChunkFilter, type ChunkFilter } from './usage-chunk-filter';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const chunk = (text: string) => ({ choices: [{ index: 0, delta: { content: text }, finish_reason: null }] });
const event = (data: unknown) => encoder.encode(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
const finish = { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] };

/** An upstream whose reads the test answers one by one, in the order they were asked. */
const manualUpstream = () => {
  const reads: { resolve(result: IteratorResult<Uint8Array>): void; reject(error: unknown): void }[] = [];
  let returned = 0;
  const iterator: AsyncIterator<Uint8Array> = {
    next: () => new Promise((resolve, reject) => reads.push({ resolve, reject })),
    return: () => {
      returned += 1;
      return Promise.resolve({ done: true, value: undefined });
    },
  };
  return {
    iterator,
    get pending() {
      return reads.length;
    },
    get returned() {
      return returned;
    },
    send: (bytes: Uint8Array) => reads.shift()!.resolve({ done: false, value: bytes }),
    close: () => reads.shift()!.resolve({ done: true, value: undefined }),
    fail: (error: unknown) => reads.shift()!.reject(error),
  };
};

const guarded = (upstream: ReturnType<typeof manualUpstream>, signal?: AbortSource, filter?: ChunkFilter) => {
  const settlements: StreamSettlement[] = [];
  const cancels: unknown[] = [];
  const stream = guardStream({
    endpoint: 'main', head: [], iterator: upstream.iterator, watcher: createSseWatcher(), signal, filter,
    cancel: (reason) => cancels.push(reason),
    onSettle: (settlement) => settlements.push(settlement),
  });
  return { stream, settlements, cancels };
};

const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('guardStream', () => {
  it('answers reads asked for at once in order, one upstream read at a time', async () => {
    const upstream = manualUpstream();
    const { stream, settlements } = guarded(upstream);
    const first = stream.next();
    const second = stream.next();
    const third = stream.next();
    await flush();
    expect(upstream.pending).toBe(1);
    upstream.send(event(chunk('a')));
    await flush();
    upstream.send(event(finish));
    await flush();
    upstream.send(event('[DONE]'));
    const texts = (await Promise.all([first, second, third])).map((result) => decoder.decode(result.value as Uint8Array));
    expect(texts).toEqual([`data: ${JSON.stringify(chunk('a'))}\n\n`, `data: ${JSON.stringify(finish)}\n\n`, 'data: [DONE]\n\n']);
    // After the terminating event the stream ends without another upstream read.
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    expect(upstream.pending).toBe(0);
    expect(settlements.map((settlement) => settlement.outcome)).toEqual(['complete']);
  });

  it('fails the read in flight, and every read queued behind it, when the request is aborted from outside', async () => {
    const upstream = manualUpstream();
    const deadline = new AbortSource();
    const { stream, settlements, cancels } = guarded(upstream, deadline);
    const first = stream.next();
    const second = stream.next();
    await flush();
    deadline.abort(new Error('deadline'));
    await expect(first).rejects.toBeInstanceOf(StreamInterruptedError);
    await expect(second).rejects.toBeInstanceOf(StreamInterruptedError);
    expect(settlements).toMatchObject([{ outcome: 'interrupted', cause: 'deadline' }]);
    expect(cancels).toHaveLength(1);
    expect(upstream.returned).toBe(1);
    // The upstream's late answer to the abandoned read changes nothing.
    upstream.send(event(chunk('late')));
    await flush();
    await expect(stream.next()).rejects.toBeInstanceOf(StreamInterruptedError);
    expect(settlements).toHaveLength(1);
  });

  it('keeps reading the upstream, for the same caller read, past chunks the filter withholds', async () => {
    const upstream = manualUpstream();
    let seen = 0;
    // Withholds every other chunk, as the usage filter withholds the usage chunk it removes.
    const filter: ChunkFilter = { push: (bytes) => (seen++ % 2 === 0 ? undefined : bytes), flush: () => undefined };
    const { stream } = guarded(upstream, undefined, filter);
    const read = stream.next();
    await flush();
    upstream.send(event(chunk('withheld')));
    await flush();
    expect(upstream.pending).toBe(1);
    upstream.send(event(chunk('passed')));
    expect(decoder.decode((await read).value as Uint8Array)).toContain('passed');
  });

  // An upstream that streams on after its error (or keeps a connection alive with comments) held the caller until it
  // ended: minutes, with nothing reaching the caller and no rescue begun.
  it('ends the stream at once when the filter has withheld the upstream\'s failure, without waiting for its end', async () => {
    const upstream = manualUpstream();
    let failure: unknown;
    const filter: ChunkFilter = {
      push: (bytes) => {
        if (decoder.decode(bytes).includes('{broken')) {
          failure = 'an event that is not valid JSON';
          return undefined;
        }
        return failure === undefined ? bytes : undefined;
      },
      flush: () => undefined,
      get upstreamError() {
        return failure;
      },
    };
    const { stream, settlements } = guarded(upstream, undefined, filter);
    const first = stream.next();
    await flush();
    upstream.send(event(chunk('Hello')));
    expect(decoder.decode((await first).value as Uint8Array)).toContain('Hello');
    const second = stream.next().catch((error: unknown) => error);
    await flush();
    upstream.send(event('{broken'));
    const error = await second;
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect((error as StreamInterruptedError).reason).toBe('the upstream sent an error or an unreadable event');
    expect(settlements).toEqual([expect.objectContaining({ outcome: 'interrupted', cause: 'upstream' })]);
    // Nothing more was asked of the upstream, and it was let go.
    expect(upstream.pending).toBe(0);
    expect(upstream.returned).toBe(1);
  });

  // The sixth attack: an upstream that kept its connection open after [DONE] turned a whole answer into a stall
  // error once the idle bound passed.
  it('ends a whole answer at its terminating event, without waiting for the upstream to close', async () => {
    const upstream = manualUpstream();
    const { stream, settlements } = guarded(upstream);
    const first = stream.next();
    await flush();
    upstream.send(encoder.encode(`data: ${JSON.stringify(chunk('Hi'))}\n\ndata: ${JSON.stringify(finish)}\n\ndata: [DONE]\n\n`));
    expect((await first).done).toBe(false);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    expect(upstream.pending).toBe(0);
    expect(upstream.returned).toBe(1);
    expect(settlements).toMatchObject([{ outcome: 'complete' }]);
  });

  it('turns an upstream failure into a cut, never a clean end', async () => {
    const upstream = manualUpstream();
    const { stream, settlements } = guarded(upstream);
    const read = stream.next();
    await flush();
    upstream.fail(new Error('socket hang up'));
    await expect(read).rejects.toThrow(/socket hang up/);
    expect(settlements).toMatchObject([{ outcome: 'interrupted', cause: 'upstream' }]);
  });
});

describe('guardStream: lines whole', () => {
  const key = 'sk-test-0123456789abcdef';
  const scrub = (text: string) => text.split(key).join('[redacted]');
  const scrubbing = (upstream: ReturnType<typeof manualUpstream>) =>
    guardStream({
      endpoint: 'main', head: [], iterator: upstream.iterator, watcher: createSseWatcher(), scrub,
      cancel: () => undefined, onSettle: () => undefined,
    });

  it('never splits a key an error line quotes between two chunks, however the upstream splits it (attack 7)', async () => {
    // Split mid-key, each half passed the scrub (neither held the key), and the caller joined them.
    const upstream = manualUpstream();
    const stream = scrubbing(upstream);
    const line = `data: {"error":{"message":"Incorrect API key provided: ${key}","type":"invalid_request_error"}}\n\n`;
    const cut = line.indexOf(key) + 7;
    const delivered: string[] = [];
    const reading = (async () => {
      for await (const chunk of stream) delivered.push(decoder.decode(chunk));
    })().catch(() => undefined);
    upstream.send(event(chunk('Hel')));
    await flush();
    upstream.send(encoder.encode(line.slice(0, 12)));
    await flush();
    upstream.send(encoder.encode(line.slice(12, cut)));
    await flush();
    upstream.send(encoder.encode(line.slice(cut)));
    await flush();
    if (upstream.pending > 0) upstream.close();
    await reading;
    const text = delivered.join('');
    expect(text).not.toContain(key.slice(0, 12));
    expect(text).toContain('[redacted]');
    expect(delivered.every((piece) => piece.endsWith('\n'))).toBe(true);
  });

  it('passes a chunk that ends with a line break as the same bytes, and sends a held line with the next chunk', async () => {
    const upstream = manualUpstream();
    const stream = scrubbing(upstream);
    const whole = event(chunk('a'));
    const first = stream.next();
    upstream.send(whole);
    expect((await first).value).toBe(whole);
    const second = stream.next();
    upstream.send(encoder.encode('data: {"choices":[{"index":0,"delta":{"content":"b"}'));
    await flush();
    upstream.send(encoder.encode(',"finish_reason":null}]}\n\ndata: [DO'));
    expect(decoder.decode((await second).value)).toBe(`data: ${JSON.stringify(chunk('b'))}\n\n`);
    const third = stream.next();
    upstream.send(encoder.encode('NE]\n\n'));
    expect(decoder.decode((await third).value)).toBe('data: [DONE]\n\n');
  });
});

describe('guardStream: every line is scrubbed (attack 13; a relay that echoes its request)', () => {
  const key = 'sk-test-0123456789abcdef';
  const scrub = (text: string) => text.split(key).join('[redacted]');
  const read = async (head: string[], rest: string[], filter?: ChunkFilter) => {
    const upstream = manualUpstream();
    const watcher = createSseWatcher();
    for (const piece of head) watcher.push(encoder.encode(piece));
    const stream = guardStream({
      endpoint: 'main', head: head.map((piece) => encoder.encode(piece)), iterator: upstream.iterator, watcher, scrub, filter,
      cancel: () => undefined, onSettle: () => undefined,
    });
    const delivered: string[] = [];
    const reading = (async () => {
      for await (const piece of stream) delivered.push(decoder.decode(piece));
    })().catch(() => undefined);
    for (const piece of rest) {
      await flush();
      upstream.send(encoder.encode(piece));
    }
    await flush();
    if (upstream.pending > 0) upstream.close();
    await reading;
    return delivered.join('');
  };
  const first = `data: ${JSON.stringify(chunk('Hel'))}\n\n`;

  it.each([
    ['a data line that is not JSON', `data: upstream debug ${key} (not JSON)\n\n`],
    ['a data line that opens an object and never closes it', `data: {oops ${key}\n\n`],
    ['a comment', `: debug ${key}\n\n`],
    ['an unknown field', `id: ${key}\n\n`],
    ['an event name of no grammar', `event: ${key}\ndata: {}\n\n`],
  ])('%s, after the head and in it', async (_, line) => {
    for (const text of [await read([first], [line, 'data: [DONE]\n\n']), await read([first + line], ['data: [DONE]\n\n'])]) {
      expect(text).not.toContain(key);
      expect(text).toContain('[redacted]');
    }
  });

  it('a line a filter holds past the chunk that showed it (the usage filter, the rescue relay), after the head and in it', async () => {
    // The review: the flag was cleared by the first chunk out, which carried only the event before; the comment went
    // out raw with the next one.
    const comment = `: upstream said ${key}\n`;
    const finish = `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`;
    for (const text of [
      await read([first], [comment, `\n${finish}`, 'data: [DONE]\n\n'], createUsageChunkFilter()),
      await read([first + comment], [`\n${finish}`, 'data: [DONE]\n\n'], createUsageChunkFilter()),
      await read([first], [`event: weird\ndata: "${key}"\n`, `\n${finish}`, 'data: [DONE]\n\n'], createUsageChunkFilter()),
    ]) {
      expect(text).not.toContain(key);
      expect(text).toContain('[redacted]');
    }
  });

  it('an event of a known grammar under a name it does not document (`response.some_new_event`), after the head and in it', async () => {
    // Read by its grammar's rules, it passed as the model's own output: an upstream quoting its key there was relayed raw.
    const named = (name: string, payload: Record<string, unknown>) => `event: ${name}\ndata: ${JSON.stringify({ type: name, ...payload })}\n\n`;
    const created = named('response.created', { response: { id: 'r', status: 'in_progress' } });
    const completed = named('response.completed', { response: { id: 'r', status: 'completed' } });
    const news = (name: string) => named(name, { note: `upstream key ${key}` });
    const unnamed = `data: ${JSON.stringify({ type: 'response.some_new_event', note: `upstream key ${key}` })}\n\n`;
    const messageStart = named('message_start', { message: { id: 'm', usage: { input_tokens: 1, output_tokens: 1 } } });
    for (const text of [
      await read([created], [news('response.some_new_event'), completed]),
      await read([created + news('response.some_new_event')], [completed]),
      await read([created], [unnamed, completed]),
      // Its name in one read, its data in the next.
      await read([created], ['event: response.some_new_event\n', unnamed, completed]),
      await read([created], [news('response.some_new.delta'), completed]),
      await read([messageStart], [news('content_block_some_new'), named('message_stop', {})]),
    ]) {
      expect(text).not.toContain(key);
      expect(text).toContain('[redacted]');
    }
  });

  it('an event of no grammar Detour reads, its JSON data in the read after its name or typed by the data alone', async () => {
    // The name's line was scrubbed, but the data that followed in the next read parsed as an object and passed as the
    // model's own output: on a route whose grammar Detour knows, nothing vouches for a foreign event.
    const foreign = `data: ${JSON.stringify({ type: 'relay.debug', note: `upstream key ${key}` })}\n\n`;
    for (const text of [
      await read([first], ['event: weird\n', `data: ${JSON.stringify({ note: `upstream key ${key}` })}\n\n`, 'data: [DONE]\n\n']),
      await read([first], [foreign, 'data: [DONE]\n\n']),
      await read([first + foreign], ['data: [DONE]\n\n']),
    ]) {
      expect(text).not.toContain(key);
      expect(text).toContain('[redacted]');
    }
  });

  it("a documented Responses event that quotes the key (a relay echoing its request): the key goes, the rest stays", async () => {
    const delta = `data: ${JSON.stringify({ type: 'response.output_text.delta', delta: `say ${key}` })}\n\n`;
    const completed = `data: ${JSON.stringify({ type: 'response.completed', response: { id: 'r', status: 'completed' } })}\n\n`;
    const text = await read([], [delta, completed]);
    expect(text).toBe(delta.replace(key, '[redacted]') + completed);
  });

  it('text after the last line break of a whole stream', async () => {
    const text = await read([first], [`data: [DONE]\n\n: ${key}`]);
    expect(text).not.toContain(key);
  });

  it('a chat chunk that quotes the key, in the head and after it: the key goes, the rest stays', async () => {
    const own = `data: ${JSON.stringify(chunk(`say ${key}`))}\n\n`;
    const clean = own.replace(key, '[redacted]');
    expect(await read([first], [own, 'data: [DONE]\n\n'])).toBe(`${first}${clean}data: [DONE]\n\n`);
    expect(await read([first + own], ['data: [DONE]\n\n'])).toBe(`${first}${clean}data: [DONE]\n\n`);
  });

  it('passes a chunk without a key on as the same bytes, not a copy', async () => {
    const upstream = manualUpstream();
    const watcher = createSseWatcher();
    const head = encoder.encode(first);
    watcher.push(head);
    const stream = guardStream({ endpoint: 'main', head: [head], iterator: upstream.iterator, watcher, scrub, cancel: () => undefined, onSettle: () => undefined });
    expect((await stream.next()).value).toBe(head);
    const next = stream.next();
    const done = encoder.encode('data: [DONE]\n\n');
    upstream.send(done);
    expect((await next).value).toBe(done);
  });
});

describe("guardStream: the terminating event's blank line (attack 13)", () => {
  const read = async (pieces: string[]) => {
    const upstream = manualUpstream();
    const stream = guardStream({
      endpoint: 'main', head: [], iterator: upstream.iterator, watcher: createSseWatcher(), cancel: () => undefined, onSettle: () => undefined,
    });
    const delivered: string[] = [];
    const reading = (async () => {
      for await (const piece of stream) delivered.push(decoder.decode(piece));
    })();
    for (const piece of pieces) {
      await flush();
      if (upstream.pending > 0) upstream.send(encoder.encode(piece));
    }
    await flush();
    if (upstream.pending > 0) upstream.close();
    await reading;
    return delivered.join('');
  };
  const completed = `event: response.completed\ndata: ${JSON.stringify({ type: 'response.completed', response: { id: 'r', status: 'completed' } })}\n`;
  const delta = `event: response.output_text.delta\ndata: ${JSON.stringify({ type: 'response.output_text.delta', delta: 'Hi' })}\n\n`;

  it('ends with the blank line that dispatches the last event, when the upstream wrote it in a later read', async () => {
    // The guard stops at the terminating event's data line: the blank line after it, in the next read, never came,
    // and every SDK ended on the event before `response.completed` (30 of 30 streams from a line-by-line writer).
    expect(await read([delta, completed, '\n'])).toBe(`${delta}${completed}\n`);
    expect(await read([delta, completed])).toBe(`${delta}${completed}\n`);
    const chat = `data: ${JSON.stringify(chunk('Hi'))}\n\n`;
    expect(await read([chat, 'data: [DONE]\n'])).toBe(`${chat}data: [DONE]\n\n`);
  });

  it('leaves an unfinished last line unfinished, with the blank line before it, and counts every byte it gave', async () => {
    // Terminated, a partial line no reader had acted on became an event the openai SDK failed to parse (the review).
    const chat = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: 'stop' }] })}\n`;
    const partial = 'data: {"id":"c","choices":[],"usage":{"prompt_tok';
    expect(await read([chat, partial])).toBe(`${chat}\n${partial}`);
    const settlements: StreamSettlement[] = [];
    const upstream = manualUpstream();
    const stream = guardStream({
      endpoint: 'main', head: [], iterator: upstream.iterator, watcher: createSseWatcher(), cancel: () => undefined, onSettle: (settlement) => settlements.push(settlement),
    });
    let delivered = 0;
    const reading = (async () => {
      for await (const piece of stream) delivered += piece.byteLength;
    })();
    await flush();
    upstream.send(encoder.encode('data: [DONE]\n'));
    await reading;
    expect([delivered, settlements[0]?.bytes]).toEqual([14, 14]); // `data: [DONE]\n` and its blank line
  });

  it('adds nothing to a stream whose last event ended whole', async () => {
    expect(await read([delta, `${completed}\n`])).toBe(`${delta}${completed}\n`);
    expect(await read([delta, completed.replace(/\n/g, '\r\n') + '\r\n'])).toBe(`${delta}${completed.replace(/\n/g, '\r\n')}\r\n`);
  });
});

describe('guardStream: keep-alives are activity, not progress', () => {
  const named = (name: string, payload: Record<string, unknown> = {}) => encoder.encode(`event: ${name}\ndata: ${JSON.stringify({ type: name, ...payload })}\n\n`);
  const watched = (upstream: ReturnType<typeof manualUpstream>) => {
    const clock = createFakeClock();
    const settlements: StreamSettlement[] = [];
    const stream = guardStream({
      endpoint: 'main', head: [], iterator: upstream.iterator, watcher: createSseWatcher(), clock,
      idleTimeoutMs: 60_000, progressTimeoutMs: 300_000,
      cancel: () => undefined,
      onSettle: (settlement) => settlements.push(settlement),
    });
    return { stream, settlements, clock };
  };

  it("counts Anthropic's ping events as keep-alives: they hold off the idle bound, not the progress bound", async () => {
    const upstream = manualUpstream();
    const { stream, settlements, clock } = watched(upstream);
    const startedAt = clock.now();
    const reads: Promise<IteratorResult<Uint8Array>>[] = [];
    reads.push(stream.next());
    await flush();
    upstream.send(named('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hi' } }));
    await reads[0];
    // A ping every 30 s: never 60 s of silence, but no event either.
    for (let elapsed = 0; elapsed < 300_000 && settlements.length === 0; elapsed += 30_000) {
      const read = stream.next();
      read.catch(() => undefined);
      reads.push(read);
      await flush();
      clock.advance(30_000);
      if (settlements.length === 0) upstream.send(named('ping'));
      await flush();
    }
    expect(settlements).toEqual([expect.objectContaining({ outcome: 'interrupted', cause: 'stalled' })]);
    expect(settlements[0]!.error!.message).toContain('keep-alives but no event for 300000 ms');
    expect(clock.now() - startedAt).toBe(300_000);
    expect(clock.pendingTimers).toBe(0);
  });

  it('ends whole an answer whose upstream stalls after its last finish_reason or message_delta (review of the fifteenth attack)', async () => {
    const chat = [event(chunk('Hi')), event(finish)];
    const messages = [named('message_start', { message: { id: 'msg_1', usage: { input_tokens: 1, output_tokens: 1 } } }), named('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } })];
    for (const [opening, last] of [chat, messages]) {
      const upstream = manualUpstream();
      const { stream, settlements, clock } = watched(upstream);
      const first = stream.next();
      await flush();
      upstream.send(opening!);
      await first;
      const second = stream.next();
      await flush();
      upstream.send(last!);
      await second;
      const third = stream.next();
      await flush();
      clock.advance(60_000);
      const ending = await third;
      expect(settlements).toEqual([expect.objectContaining({ outcome: 'complete' })]);
      expect(upstream.returned).toBe(1);
      if (!ending.done) {
        // A Messages stream is owed its `message_stop`.
        expect(decoder.decode(ending.value)).toContain('message_stop');
        expect((await stream.next()).done).toBe(true);
      }
      expect(clock.pendingTimers).toBe(0);
    }
  });

  it('starts the progress bound again at every event', async () => {
    const upstream = manualUpstream();
    const { stream, settlements, clock } = watched(upstream);
    // Ten minutes: a comment every 30 s and an event every 4 minutes, inside both bounds throughout.
    for (let elapsed = 30_000; elapsed <= 600_000; elapsed += 30_000) {
      const read = stream.next();
      await flush();
      clock.advance(30_000);
      upstream.send(elapsed % 240_000 === 0 ? event(chunk('x')) : encoder.encode(': keep-alive\n\n'));
      await read;
    }
    expect(settlements).toEqual([]);
    await stream.return!();
  });
});

describe('guardStream: a read answered at once (the twelfth attack)', () => {
  it('answers a read whose synchronous ending throws, rather than leave it in flight for good', async () => {
    // A filter that withheld the upstream's failure ends the stream inside the read; an `onSettle` that throws there
    // escaped `next()` and left the read standing as the one in flight, so every later read waited on it.
    const upstream = manualUpstream();
    const filter: ChunkFilter = { push: (bytes) => bytes, flush: () => undefined, upstreamError: new Error('withheld') };
    const stream = guardStream({
      endpoint: 'main', head: [], iterator: upstream.iterator, watcher: createSseWatcher(), filter,
      cancel: () => undefined,
      onSettle: () => {
        throw new Error('store failed');
      },
    });
    await expect(stream.next()).rejects.toThrow('store failed');
    await expect(stream.next()).rejects.toThrow(StreamInterruptedError);
  });
});
