import { describe, expect, it } from 'vitest';
import type { RouterOptionsInput } from '../options/router-options-schema';
import { createFakeClock } from '../testing/fake-clock';
import { createScriptedTransport, type EndpointScript, type ScriptedReply } from '../testing/scripted-transport';
import type { RouterEvent } from './events';
import { createRouter } from './router';

// The tenth attack's finding on breakers and streams: a committed stream counted its first event as a success and
// its cut as a failure on top, so every cut stream was a success and a failure. An endpoint that cut most of its
// streams never showed a failure rate above one half, and its breaker never opened. A cut now takes its stream's
// success's place in the window.

const chunk = (content: string, finish: string | null = null) =>
  JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: finish }] });
const events = [...Array.from({ length: 12 }, (_, index) => chunk(` word${index}`)), chunk('', 'stop'), '[DONE]'];
const whole: ScriptedReply = { events };
// Well after the first event, so the stream has committed when it breaks.
const cut: ScriptedReply = { events, cut: { afterEvents: 8, mode: 'error' } };
const stalled: ScriptedReply = { events, cut: { afterEvents: 8, mode: 'close' } };

const endpoint = (name: string, extra: Record<string, unknown> = {}) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}`, ...extra });
const chat = {
  path: '/chat/completions',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'count' }], stream: true }),
};

const setup = (scripts: Record<string, EndpointScript>, options: Partial<RouterOptionsInput> = {}, priorities: Record<string, number> = {}) => {
  const clock = createFakeClock();
  const transport = createScriptedTransport(scripts, { now: clock.now, advance: clock.advance });
  const router = createRouter(
    { endpoints: Object.keys(scripts).map((name) => endpoint(name, { priority: priorities[name] ?? 0 })), rescue: 'off', ...options } as RouterOptionsInput,
    { transport, clock, sleep: clock.sleep, random: () => 0 },
  );
  const seen: RouterEvent[] = [];
  router.subscribe((event) => seen.push(event));
  const opened = () => seen.filter((event) => event.type === 'breaker-change' && event.endpoint === 'a' && event.to === 'open').length;
  return { clock, transport, router, opened, seen };
};

/** Sends one stream and reads it to its end or its error; the endpoint that served its first event. */
const stream = async (router: ReturnType<typeof createRouter>) => {
  const result = await router.send(chat);
  try {
    for await (const _ of result.stream!);
  } catch {
    // A cut stream errors; the breaker is what is under test.
  }
  return result.endpoint;
};

/** Nine of ten streams cut: the first of each ten is whole (with every stream cut, the rate alone tripped it). */
const cutsNineOfTen: EndpointScript = (_request, count) => (count % 10 === 1 ? whole : cut);

describe('tenth attack: an endpoint that cuts its streams trips its breaker', () => {
  it('opens on the failure rate once the window holds ten streams, nine of them cut, and the backup takes the rest', async () => {
    const { router, opened, transport } = setup({ a: cutsNineOfTen, b: [whole] }, { breaker: { consecutiveFailures: 100 } }, { b: 1 });
    const served: string[] = [];
    for (let index = 0; index < 20; index++) served.push(await stream(router));
    // A whole stream, then nine cuts: 9 failures of 10 requests. Before, all 20 went to a and it never opened.
    expect(opened()).toBe(1);
    expect(transport.callsTo('a')).toHaveLength(10);
    expect(served.slice(10)).toEqual(Array(10).fill('b'));
  });

  it('trips consecutiveFailures on five streams cut in a row, as on five failed requests in a row', async () => {
    // The review's mend (a first event counts as a success when it arrives) had each stream's success end the run,
    // so cuts in a row never reached five; each cut now continues the run its own success ended.
    const { router, opened, transport } = setup({ a: cutsNineOfTen, b: [whole] }, { breaker: { minimumVolume: 1000 } }, { b: 1 });
    const served: string[] = [];
    for (let index = 0; index < 10; index++) served.push(await stream(router));
    expect(opened()).toBe(1);
    expect(transport.callsTo('a')).toHaveLength(6);
    expect(served.slice(6)).toEqual(Array(4).fill('b'));
  });

  it('lets a whole stream end the run of cuts, as a success ends a run of failures', async () => {
    const fourCutsThenWhole: EndpointScript = (_request, count) => (count % 5 === 0 ? whole : cut);
    const { router, opened } = setup({ a: fourCutsThenWhole }, { breaker: { minimumVolume: 1000 } });
    for (let index = 0; index < 20; index++) await stream(router);
    expect(opened()).toBe(0);
  });

  it('counts a stalled stream the same way', async () => {
    const { router, opened } = setup({ a: [whole, stalled], b: [whole] }, { streamIdleTimeoutMs: 1000 }, { b: 1 });
    for (let index = 0; index < 10; index++) await stream(router);
    expect(opened()).toBe(1);
  });

  it('opens on the failure rate when cut and whole streams alternate', async () => {
    // Every other stream cut: the eleventh makes 6 failures in 11. Counted twice, the cuts were 6 of 17, never half.
    const alternate: EndpointScript = (_request, count) => (count % 2 === 0 ? whole : cut);
    const { router, opened } = setup({ a: alternate }, { breaker: { consecutiveFailures: 100, failureRate: 0.5, minimumVolume: 10 } });
    for (let index = 0; index < 10; index++) await stream(router);
    expect(opened()).toBe(0);
    await stream(router);
    expect(opened()).toBe(1);
  });

  it('still counts a whole stream as a success: one stream in three cut stays under the rate', async () => {
    const third: EndpointScript = (_request, count) => (count % 3 === 0 ? cut : whole);
    const { router, opened } = setup({ a: third }, { breaker: { consecutiveFailures: 100 } });
    for (let index = 0; index < 30; index++) await stream(router);
    expect(opened()).toBe(0);
  });

  it('keeps counting a long stream\'s first event as a success, so other requests\' failures meanwhile do not trip it (the review)', async () => {
    // Streams that run for minutes: had their success waited for their end, the 500s in between (one request in
    // three) would have been five failures in a row.
    const some500s: EndpointScript = (_request, count) => (count % 3 === 0 ? { status: 500, body: { error: { message: 'boom' } } } : whole);
    const { router, opened } = setup({ a: some500s, b: [whole] }, {}, { b: 1 });
    const open: AsyncIterableIterator<Uint8Array>[] = [];
    for (let index = 0; index < 15; index++) {
      const result = await router.send(chat);
      await result.stream!.next();
      open.push(result.stream!);
    }
    expect(opened()).toBe(0);
    for (const held of open) await held.return?.();
  });

  it('counts a rescued cut against the endpoint that cut it', async () => {
    const { router, opened, transport } = setup({ a: cutsNineOfTen, b: [whole] }, { rescue: 'continue-or-replay' }, { b: 1 });
    for (let index = 0; index < 12; index++) await stream(router);
    expect(opened()).toBe(1);
    // Six first attempts on a (one whole, then five cut in a row, each rescued by b); then b serves from the start.
    expect(transport.callsTo('a')).toHaveLength(6);
  });

  it('a stream probe still closes a half-open breaker at its first event, and its cut reopens it', async () => {
    const { router, clock, seen } = setup({ a: [cut, cut, whole] }, { breaker: { consecutiveFailures: 1, openMs: 1000 } });
    await stream(router);
    clock.advance(1000);
    // The probe: its first event closes the breaker; its cut counts in the closed generation and opens it again.
    await stream(router);
    const changes = seen.filter((event) => event.type === 'breaker-change').map((event) => event.type === 'breaker-change' && `${event.from}>${event.to}`);
    expect(changes).toEqual(['closed>open', 'open>half_open', 'half_open>closed', 'closed>open']);
  });

  it('charges the latency estimate for a cut, so a cutting endpoint does not look cheapest', async () => {
    // Equal weights and estimates: the draw keeps a unless b looks cheaper.
    const { router, transport } = setup(
      { a: [cut], b: [whole] },
      { selection: 'latency', breaker: { consecutiveFailures: 1000, minimumVolume: 1000 } },
    );
    const served: string[] = [];
    for (let index = 0; index < 6; index++) served.push(await stream(router));
    // Before, a's first event made it look fast and it was asked every time.
    expect(served).toEqual(['a', 'b', 'b', 'b', 'b', 'b']);
    expect(transport.callsTo('a')).toHaveLength(1);
  });
});

describe('tenth attack: what a rescuable stream holds is bounded', () => {
  it('holds at most maxResponseBytes of delivered text; past it the stream relays on and is not rescued', async () => {
    // Twelve words of 7 characters: 84 held by the cut after eight events, over a bound of 40.
    const { router, transport, seen } = setup({ a: [cut], b: [whole] }, { rescue: 'continue-or-replay', maxResponseBytes: 40 }, { b: 1 });
    const result = await router.send(chat);
    let text = '';
    let error: unknown;
    try {
      for await (const piece of result.stream!) text += new TextDecoder().decode(piece);
    } catch (thrown) {
      error = thrown;
    }
    // Every event up to the cut reached the caller; then the cut, as without rescue.
    expect(text.match(/word\d+/g)).toHaveLength(8);
    expect((error as { code?: string }).code).toBe('stream_interrupted');
    expect(transport.callsTo('b')).toHaveLength(0);
    // Not tried, and said so.
    expect(seen.filter((event) => event.type === 'stream-rescue')).toEqual([
      expect.objectContaining({ from: 'a', to: undefined, outcome: 'failed', reason: expect.stringContaining('maxResponseBytes') }),
    ]);
  });

  it('still rescues a stream whose delivered text is within the bound', async () => {
    const { router, transport } = setup({ a: [cut], b: [whole] }, { rescue: 'continue-or-replay', maxResponseBytes: 1000 }, { b: 1 });
    await stream(router);
    expect(transport.callsTo('b')).toHaveLength(1);
  });
});
