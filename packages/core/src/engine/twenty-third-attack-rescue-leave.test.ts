import { describe, expect, it } from 'vitest';
import type { CallerSignal } from '../ports/caller-signal';
import type { Transport, TransportRequest, TransportResponse } from '../ports/transport';
import { createFakeClock } from '../testing/fake-clock';
import type { RouterEvent } from './events';
import { createRouter } from './router';

// Attack 23, finding C: a caller that leaves a stream (`stream.return()`, as `for await … break` does) while a
// mid-stream rescue attempt is waiting for its answer has that attempt recorded as the target endpoint's *network
// failure* ("network: the caller stopped reading"): a breaker failure, so a caller's own departure counts against a
// healthy endpoint and, repeated, opens its breaker. A caller's abort is neutral everywhere else (breaker.ts: "Neutral
// outcomes (… caller aborts) only free a probe slot"; events.ts stream-end `client_closed`: counted against no endpoint).

const encoder = new TextEncoder();
const chunk = (content: string) =>
  encoder.encode(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`);
const flush = async () => {
  for (let i = 0; i < 50; i += 1) await Promise.resolve();
};

/** `a` sends two events then resets; `b` (the rescue target) has not answered yet: it waits until its signal aborts. */
const transport: Transport = (request: TransportRequest, signal: CallerSignal) => {
  if (request.endpoint === 'a') {
    const body = (async function* () {
      yield chunk('Hello');
      yield chunk(' world');
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    })();
    return Promise.resolve<TransportResponse>({ status: 200, headers: { 'content-type': 'text/event-stream' }, body, cancel: () => undefined });
  }
  return new Promise((_, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
};

const setup = () => {
  const clock = createFakeClock();
  const router = createRouter(
    {
      endpoints: [
        { name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a' },
        { name: 'b', baseUrl: 'https://b.example/v1', apiKey: 'sk-b', priority: 1 },
      ],
      rescue: 'continue-or-replay',
      breaker: { consecutiveFailures: 1 },
    },
    { transport, clock, random: () => 0 },
  );
  const events: RouterEvent[] = [];
  router.subscribe((event) => events.push(event));
  return { router, events };
};

const chat = { path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], stream: true }) };

describe('attack 23 C: a caller leaving during a rescue is not the rescue target\'s failure', () => {
  it('stream.return() while the rescue attempt waits', async () => {
    const { router, events } = setup();
    const result = await router.send(chat);
    const stream = result.stream!;
    await stream.next();
    await stream.next();
    const pending = stream.next().catch(() => undefined); // a resets: the rescue asks b, which has not answered
    await flush();
    expect(events.some((e) => e.type === 'attempt-start' && e.endpoint === 'b')).toBe(true);
    await stream.return!(); // the caller leaves (`break` out of `for await`)
    await pending;
    await flush();
    const onB = events.filter((e) => (e.type === 'attempt-end' || e.type === 'breaker-change') && e.endpoint === 'b');
    const [, b] = await router.health();
    expect(b!.breaker).toBe('closed');
    const end = onB.find((e) => e.type === 'attempt-end');
    expect(end && end.type === 'attempt-end' ? end.kind : undefined).not.toBe('network');
    expect(onB.filter((e) => e.type === 'breaker-change')).toHaveLength(0);
  });

  it('for comparison: the caller aborting its signal at the same point is neutral', async () => {
    const { router, events } = setup();
    const controller = new AbortController();
    const result = await router.send({ ...chat, signal: controller.signal });
    const stream = result.stream!;
    await stream.next();
    await stream.next();
    const pending = stream.next().catch(() => undefined);
    await flush();
    controller.abort(new Error('caller left'));
    await pending;
    await flush();
    const onB = events.filter((e) => (e.type === 'attempt-end' || e.type === 'breaker-change') && e.endpoint === 'b');
    expect(onB.filter((e) => e.type === 'breaker-change')).toHaveLength(0);
  });
});
