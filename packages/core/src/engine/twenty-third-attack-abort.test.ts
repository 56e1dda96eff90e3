import { describe, expect, it } from 'vitest';
import type { StateStore } from '../ports/state-store';
import type { Transport } from '../ports/transport';
import { createMemoryStore } from '../state/memory-store';
import { createFakeClock } from '../testing/fake-clock';
import { chatCompletion } from '../testing/scripted-transport';
import type { RouterEvent } from './events';
import { createRouter } from './router';

// Attack 23, finding A: with a store that answers asynchronously (Redis, a Durable Object), a caller abort (or the
// deadline) that lands while the store is answering `admit` (or `read`, or `spendRetry`) does not stop the attempt:
// the attempt starts, `attempt-start` is emitted and the transport is called with the already-aborted signal.
// `Router.shutDown` has this exact check (start-attempt.ts `send`: "Shut down while the store answered (a Redis round
// trip): no attempt starts after it"); the caller's abort and the deadline do not.

const flush = async () => {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
};

const setup = () => {
  const clock = createFakeClock();
  const memory = createMemoryStore();
  // A store whose `admit` answers when the test releases it (a Redis round trip in flight).
  let releaseAdmit: () => void = () => undefined;
  const store: StateStore = {
    read: (e) => memory.read(e),
    admit: (e, now, o) => new Promise((resolve) => (releaseAdmit = () => resolve(memory.admit(e, now, o)))),
    recordResult: (e, r, o) => memory.recordResult(e, r, o),
    coolDown: (e, u, m, r, n) => memory.coolDown(e, u, m, r, n),
    disable: (e, u, r, c) => memory.disable(e, u, r, c),
    depositRequest: (n, o) => memory.depositRequest(n, o),
    spendRetry: (n, o) => memory.spendRetry(n, o),
  };
  const sent: { aborted: boolean }[] = [];
  const transport: Transport = async (_request, signal) => {
    sent.push({ aborted: signal.aborted });
    if (signal.aborted) throw signal.reason;
    const body = new TextEncoder().encode(JSON.stringify(chatCompletion('hi')));
    return { status: 200, headers: { 'content-type': 'application/json' }, body: (async function* () { yield body; })(), cancel: () => undefined };
  };
  const router = createRouter(
    { endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a' }], deadlineMs: 1000 },
    { transport, clock, store, random: () => 0 },
  );
  const events: RouterEvent[] = [];
  router.subscribe((event) => events.push(event));
  return { clock, router, sent, events, release: () => releaseAdmit() };
};

const chat = (signal?: AbortSignal) => ({
  path: '/chat/completions', signal, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }),
});

describe('attack 23 A: an attempt starts after the caller aborted, when the store answered late', () => {
  it('caller abort during an async admit', async () => {
    const { router, sent, events, release } = setup();
    const controller = new AbortController();
    const result = router.send(chat(controller.signal)).then(() => 'served', (error: { code?: string }) => error.code);
    await flush(); // the request is waiting for the store's admit
    controller.abort(new Error('caller left'));
    release(); // the store answers
    expect(await result).toBe('aborted');
    // The law: no attempt starts after the caller aborted.
    expect(events.filter((e) => e.type === 'attempt-start')).toHaveLength(0);
    expect(sent).toHaveLength(0);
  });

  it('deadline during an async admit', async () => {
    const { clock, router, sent, events, release } = setup();
    const result = router.send(chat()).then(() => 'served', (error: { code?: string }) => error.code);
    await flush();
    clock.advance(1000); // the deadline passes while the store is answering
    release();
    expect(await result).toBe('deadline_exceeded');
    expect(events.filter((e) => e.type === 'attempt-start')).toHaveLength(0);
    expect(sent).toHaveLength(0);
  });
});
