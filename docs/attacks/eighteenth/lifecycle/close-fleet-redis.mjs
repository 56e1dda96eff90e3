// A fleet instance that closed its router (shutting down) still gets a few late calls: are they charged to the
// endpoints in the fleet's shared Redis state? Instance 1 and instance 2 each have their own Redis store connection.
import { spawn } from 'node:child_process';
import { createFetch } from '@detour/node';
import { createRedisStore } from '@detour/redis';
import OpenAI from 'openai';
import { spawnUpstream } from './lib.mjs';
const port = 40000 + (process.pid % 20000);
const redis = spawn('timeout', ['60', 'redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 500));
const A = await spawnUpstream('A', {}, 60);
const B = await spawnUpstream('B', {}, 60);
const endpoints = [{ name: 'a', baseUrl: A.baseUrl, apiKey: 'k' }, { name: 'b', baseUrl: B.baseUrl, apiKey: 'k', priority: 1 }];
const url = `redis://127.0.0.1:${port}`;
const s1 = createRedisStore({ url }); const s2 = createRedisStore({ url });
await s1.ready; await s2.ready;
const f1 = createFetch({ endpoints, store: s1 });
const f2 = createFetch({ endpoints, store: s2 });
const ask = (f) => new OpenAI({ apiKey: 'x', fetch: f, maxRetries: 0 }).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
  .then((r) => `served by ${r.choices[0].message.content.slice(11, 13)}`, (e) => `${e.status} ${e.headers?.get?.('x-detour-error')}`);
console.log(`instance 2 before: ${await ask(f2)}; instance 1 before: ${await ask(f1)}`);
await f1.router.close();
console.log('instance 1 closed its router (shutdown begins); 3 late requests reach it:');
for (let i = 0; i < 3; i++) console.log(`  instance 1 late call ${i + 1}: ${await ask(f1)}`);
await new Promise((r) => setTimeout(r, 300));
const h = await f2.router.health();
console.log(`instance 2 health: ${h.map((e) => `${e.name}: breaker ${e.breaker} (open for ${Math.max(0, e.breakerOpenUntil - Date.now())} ms more), available ${e.available}`).join(' | ')}`);
for (let i = 0; i < 3; i++) console.log(`instance 2 (its pool healthy, upstreams healthy) call ${i + 1}: ${await ask(f2)}`);
await f2.router.close(); await s1.close(); await s2.close();
A.kill(); B.kill(); redis.kill();
process.exit(0);
