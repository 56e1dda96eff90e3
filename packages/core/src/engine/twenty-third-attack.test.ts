import { describe, expect, it } from 'vitest';
import type { RouterOptionsInput } from '../options/router-options-schema';
import { createPriceBook } from '../pricing/price-book';
import { createFakeClock } from '../testing/fake-clock';
import { createScriptedTransport, type ScriptedReply } from '../testing/scripted-transport';
import type { RouterEvent } from './events';
import { createRouter } from './router';

// Defects found by the twenty-third attack (docs/attacks/twenty-third). Each test here failed on the code before its fix.

type CostRecord = Extract<RouterEvent, { type: 'cost-record' }>;

const routerOn = (reply: ScriptedReply) => {
  const clock = createFakeClock();
  const transport = createScriptedTransport({ a: [reply] }, { now: clock.now, advance: clock.advance });
  const router = createRouter({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a' }], rescue: 'off' } as RouterOptionsInput, {
    transport, clock, sleep: clock.sleep, random: () => 0,
  });
  const costs: CostRecord[] = [];
  router.subscribe((event) => {
    if (event.type === 'cost-record') costs.push(event);
  });
  return { router, costs };
};

// A Responses request that names no model (a stored prompt chose it) is priced by the model its answer names.
const storedPrompt = { path: '/responses', body: JSON.stringify({ prompt: { id: 'pmpt_1' }, input: 'hi' }) };
const answer = (model: string) => ({ object: 'response', id: 'resp_1', status: 'completed', model, output: [], usage: { input_tokens: 3, output_tokens: 2, total_tokens: 5 } });
const streamed = (model: string) => [
  `event: response.created\ndata: ${JSON.stringify({ type: 'response.created', response: { ...answer(model), status: 'in_progress', usage: null } })}\n\n`,
  `event: response.completed\ndata: ${JSON.stringify({ type: 'response.completed', response: answer(model) })}\n\n`,
];

describe('the twenty-third attack: an upstream that names a model no request could', () => {
  // Each name priced was a key of the price book's cache (1,000 of any length): an upstream answering with
  // megabyte-long names grew the gateway's heap by a gigabyte and killed it (F1).
  it('prices a JSON answer by the model it names only when that is a model name, not megabytes of one', async () => {
    const named = routerOn({ body: answer('gpt-4.1-2025-04-14') });
    await named.router.send(storedPrompt);
    expect(named.costs).toMatchObject([{ model: 'gpt-4.1-2025-04-14' }]);
    const absurd = routerOn({ body: answer(`gpt-4.1-${'x'.repeat(300)}`) });
    const served = await absurd.router.send(storedPrompt);
    expect(served.status).toBe(200);
    expect(absurd.costs).toEqual([]);
    expect(served.costUsd).toBeUndefined();
  });

  it('prices a Responses stream by the model it names only when that is a model name', async () => {
    for (const [model, priced] of [['gpt-4.1-2025-04-14', 1], [`gpt-4.1-${'x'.repeat(300)}`, 0]] as const) {
      const { router, costs } = routerOn({ headers: { 'content-type': 'text/event-stream' }, events: streamed(model) });
      const served = await router.send({ ...storedPrompt, body: JSON.stringify({ prompt: { id: 'pmpt_1' }, input: 'hi', stream: true }) });
      for await (const chunk of served.stream!) void chunk;
      expect(costs).toHaveLength(priced);
    }
  });

  it('still prices a name no request could carry when asked directly, by the prefix it begins with', () => {
    const book = createPriceBook();
    const long = `gpt-4.1-${'x'.repeat(1_000)}`;
    expect(book.priceOf(long)).toEqual(book.priceOf('gpt-4.1'));
    expect(book.priceOf(long)).toEqual(book.priceOf('gpt-4.1'));
  });
});
