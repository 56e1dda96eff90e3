// One Node process of a fleet, for two-process.test.ts: `createFetch` from @detour/node over `createRedisStore` from
// this package's build. Reads commands from stdin, one a line, and answers each with one JSON line on stdout:
//   send  → { status, endpoint }   (a chat completion through createFetch)
//   state → { availableFrom, now } (when the local view lets the primary take gpt-4.1 again)
import { createInterface } from 'node:readline';
import { createFetch } from '@detour/node';
import { availableFrom } from '@detour/core/store';
import { createRedisStore } from '../dist/index.js';

const { redisUrl, prefix, primary, backup } = JSON.parse(process.argv[2]);
const store = createRedisStore({ url: redisUrl, prefix, log: () => {} });
await store.ready;
const fetch = createFetch({
  endpoints: [
    { name: 'primary', baseUrl: primary, priority: 0 },
    { name: 'backup', baseUrl: backup, priority: 1 },
  ],
  store,
});
const body = JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Say hello' }] });
const answer = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);

answer({ ready: true });
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'send') {
    const response = await fetch('http://detour.invalid/v1/chat/completions', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    await response.arrayBuffer();
    answer({ status: response.status, endpoint: response.headers.get('x-detour-endpoint') });
  } else if (line === 'state') {
    answer({ availableFrom: availableFrom(store.read('primary'), 'gpt-4.1'), now: Date.now() });
  } else if (line === 'close') {
    await Promise.all([store.close(), fetch.router.close()]);
    answer({ closed: true });
    process.exit(0);
  }
}
