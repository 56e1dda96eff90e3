import { createMemoryStore } from '@detour/core';
import { startChaosUpstream, type ChaosUpstream } from '@detour/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetch } from '../src/index';

// `store` in createFetch's options: core's option schema is strict, so the binding takes it out and hands it to the
// router as a dependency, the same as the second argument's `store`.

const upstreams: ChaosUpstream[] = [];
afterEach(async () => {
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

const body = JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] });
const post = (fetch: typeof globalThis.fetch) =>
  fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('createFetch with a store in its options', () => {
  it('keeps cooldowns in the store it was given, so two fetches sharing it share them', async () => {
    const primary = await startChaosUpstream({
      name: 'primary', script: [{ when: { nth: [1] }, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 20_000 } }],
    });
    const backup = await startChaosUpstream({ name: 'backup' });
    upstreams.push(primary, backup);
    const store = createMemoryStore();
    const endpoints = [{ name: 'primary', baseUrl: primary.baseUrl, priority: 0 }, { name: 'backup', baseUrl: backup.baseUrl, priority: 1 }];
    const first = createFetch({ endpoints, store });
    const second = createFetch({ endpoints, store });
    try {
      expect((await post(first)).headers.get('x-detour-endpoint')).toBe('backup');
      expect(primary.stats().total).toBe(1);
      expect((await post(second)).headers.get('x-detour-endpoint')).toBe('backup');
      expect(primary.stats().total).toBe(1);
    } finally {
      await Promise.all([first.router.close(), second.router.close()]);
    }
  });
});
