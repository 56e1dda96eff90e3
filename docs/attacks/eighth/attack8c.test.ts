// Attack 8 (helper), third round.
import { env, runInDurableObject } from 'cloudflare:test';
import { createRouter, NoEndpointAvailableError } from '@detour/core';
import { chatCompletion, createFakeClock, createScriptedTransport } from '@detour/core/testing';
import { describe, it } from 'vitest';
import { createDurableObjectStore } from './durable-object-store';

const ns = env.DETOUR_STATE;
const stubOf = (name: string) => ns.get(ns.idFromName(name) as never);
const op = async (name: string, operation: string, body: unknown) => {
  try {
    const response = await stubOf(name).fetch(`https://detour-state.internal/${operation}`, { method: 'POST', body: JSON.stringify(body) });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    return { status: -1, text: `THREW ${String(error)}` };
  }
};
const obs = (tag: string, value: unknown) => console.log(`OBS ${tag} ${JSON.stringify(value)}`);
const body = JSON.stringify({ model: 'gpt-4.1', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });

describe('R4: evicted with a stored value of another shape', () => {
  it('every later operation of the real object fails', async () => {
    const name = `evict-${Math.random()}`;
    await op(name, 'raise-deadline', { endpoint: 'ok', field: 'cooldown', until: Date.now() + 60_000, reason: 'r', now: Date.now() });
    await runInDurableObject(stubOf(name) as never, async (_instance: unknown, state: any) => {
      await state.storage.put('endpoint:old', { cooldownUntil: 5 });
    });
    obs('evict.stored', await runInDurableObject(stubOf(name) as never, async (_i: unknown, state: any) => [...(await state.storage.list({ prefix: 'endpoint:' })).keys()]));
    obs('evict.abort', await runInDurableObject(stubOf(name) as never, async (_i: unknown, state: any) => { state.abort('attack8: evict'); }).catch((error: unknown) => `threw ${String(error)}`));
    const after = [];
    for (let index = 0; index < 3; index += 1) after.push(await op(name, 'sync', { deposits: [], budget: undefined }));
    obs('evict.after', after.map((answer) => ({ status: answer.status, text: answer.text.slice(0, 200) })));
    const clock = createFakeClock();
    const [writer, reader] = [createDurableObjectStore({ namespace: ns, name, clock }), createDurableObjectStore({ namespace: ns, name, clock })];
    writer.coolDown('primary', clock.now() + 20_000, undefined, 'rate limited', clock.now());
    await writer.settled();
    clock.advance(1001);
    reader.read('primary');
    await reader.settled();
    obs('evict.reader-sees-cooldown', reader.read('primary').cooldownUntil > 0);
  });
});

describe('lifetime totals', () => {
  it('steady 5 rpm of a 10 rpm limit for an hour: how much does a fresh isolate get right after?', async () => {
    const name = `lifetime-${Math.random()}`;
    const clock = createFakeClock();
    const make = () => {
      const store = createDurableObjectStore({ namespace: ns, name, clock });
      const transport = createScriptedTransport({ a: [{ body: chatCompletion('hi') }] }, { now: clock.now });
      const router = createRouter(
        { endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a', limits: { rpm: 10 } }], admission: { maxQueueMs: 0, fleetSyncMs: 1 } },
        { transport, clock, sleep: clock.sleep, random: () => 0.5, store },
      );
      return { store, router };
    };
    const first = make();
    let firstServed = 0;
    for (let index = 0; index < 300; index += 1) {
      clock.advance(12_000);
      firstServed += await first.router.send({ path: '/chat/completions', body }).then(() => 1, () => 0);
      await first.store.settled();
    }
    const late = make();
    const outcomes: string[] = [];
    for (let index = 0; index < 6; index += 1) {
      clock.advance(1);
      outcomes.push(await late.router.send({ path: '/chat/completions', body }).then(() => 'ok', (error: unknown) => (error instanceof NoEndpointAvailableError ? 'refused' : String(error))));
      clock.advance(1);
      await late.store.settled();
    }
    obs('lifetime.steady-5rpm-1h-then-fresh-isolate', { firstServed, fresh: outcomes.join(','), expectedAbout: '5 ok (10 rpm less 5 spent in the last minute)' });
  }, 60_000);
});
