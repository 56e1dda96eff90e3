// One process of the fleet (README.md 151-161 / packages/redis README 9-18): createFetch with createRedisStore
import { createFetch } from '@detour/node';
import { createRedisStore } from '@detour/redis';
const [, , role, p, b] = process.argv;
const store = createRedisStore({ url: process.env.REDIS_URL });
await store.ready;
const endpoints = [{ name: 'primary', baseUrl: p, apiKey: 'sk-primary-1234567', priority: 0 }, { name: 'backup', baseUrl: b, apiKey: 'sk-backup-1234567', priority: 1 }];
const fetch = createFetch({ endpoints, store });
if (role === 'second') await new Promise((r) => setTimeout(r, 1500));
const r = await fetch('https://x/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x' }] }) });
console.log(role, 'endpoint', r.headers.get('x-detour-endpoint'), 'attempts', r.headers.get('x-detour-attempts'));
await fetch.router.close(); await store.close();
