import { createFakeClock } from '@detour/core/testing';
import { startChaosUpstream, type ChaosUpstream, type FaultRule } from '@detour/testkit';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetch, type NodeDetourFetch } from '../src/index';

// A spent balance topped up, through createFetch on real sockets with the real openai SDK: the endpoint is asked again
// when its first hold runs out (5 min), not after an hour, and each refusal in a row doubles the next hold.

const upstreams: ChaosUpstream[] = [];
const fetches: NodeDetourFetch[] = [];
afterEach(async () => {
  await Promise.all(fetches.splice(0).map((detourFetch) => detourFetch.router.close()));
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

const upstream = async (name: string, script: FaultRule[] = []) => {
  const started = await startChaosUpstream({ name, script });
  upstreams.push(started);
  return started;
};

const minute = 60_000;
const ask = { model: 'gpt-4.1', messages: [{ role: 'user' as const, content: 'Say hello' }] };

describe('a spent balance, topped up', () => {
  it('is served again once the hold it earned runs out: 5 minutes, then 10 after a second refusal', async () => {
    // The primary's balance is spent for its first two requests, then topped up.
    const primary = await upstream('primary', [{ when: { to: 2 }, fault: { type: 'insufficient-quota' } }]);
    const backup = await upstream('backup');
    const clock = createFakeClock();
    const detourFetch = createFetch(
      { endpoints: [primary, backup].map((target, priority) => ({ name: target.name, baseUrl: target.baseUrl, apiKey: `sk-${target.name}`, priority })) },
      { clock, sleep: clock.sleep, random: () => 0 },
    );
    fetches.push(detourFetch);
    const openai = new OpenAI({ apiKey: 'unused', baseURL: 'https://detour.invalid/v1', fetch: detourFetch, maxRetries: 0 });
    const servedBy = async () => (await openai.chat.completions.create(ask).withResponse()).response.headers.get('x-detour-endpoint');

    expect(await servedBy()).toBe('backup');
    clock.advance(5 * minute - 1);
    expect(await servedBy()).toBe('backup');
    expect(primary.stats().total).toBe(1);
    clock.advance(1);
    // Still spent at the first recheck: held twice as long.
    expect(await servedBy()).toBe('backup');
    expect(primary.stats().total).toBe(2);
    clock.advance(10 * minute - 1);
    expect(await servedBy()).toBe('backup');
    clock.advance(1);
    expect(await servedBy()).toBe('primary');
    expect(await servedBy()).toBe('primary');
    expect(primary.stats().total).toBe(4);
  });
});
