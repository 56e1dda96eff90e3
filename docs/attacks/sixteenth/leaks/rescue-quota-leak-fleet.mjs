// Consequence of the leaked rescue reservations on a fleet (two routers sharing one store, as instances sharing Redis):
// every fleet reading router A adopts is reduced by the leaked reservations' cost, forever. B, with no leak, sees the truth.
import { createRouter } from '@detour/node';
import { createMemoryStore } from '@detour/core';
import { startUpstream } from './upstream.mjs';
const kill = setTimeout(() => { console.log('TIMEOUT'); process.exit(2); }, 90000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ups = await Promise.all(['a', 'b', 'c'].map((n) => startUpstream(n)));
const store = createMemoryStore();
const make = () => createRouter({
  endpoints: ups.map((u, i) => ({ name: u.name, baseUrl: u.url, apiKey: 'sk-x-0123456789abcdef', priority: i === 0 ? 0 : 1 })),
  deadlineMs: 5000, rescueHeartbeatMs: 0, retryBudget: { ratio: 0, minPerSecond: 0.5, ttlMs: 2000 }, breaker: { consecutiveFailures: 100 },
  admission: { fleetSyncMs: 1, maxQueueMs: 500 },
}, { store });
const A = make();
const B = make();
const send = (router, extra) => router.send({ method: 'POST', path: '/chat/completions', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...extra }) });
const quota = async (router) => (await router.health()).filter((e) => e.name !== 'a').map((e) => `${e.name}:${JSON.stringify(e.quota)}`).join(' ');
const LEAKS = Number(process.argv[2] ?? 6);
for (let i = 0; i < LEAKS; i++) {
  const r = await send(A, { stream: true, plan: { a: 'streamcut', b: 'err500', c: 'err500' } });
  try { for await (const _ of r.stream); } catch {}
  await sleep(2100);
}
console.log(`A after ${LEAKS} failed rescues: admission`, JSON.stringify(A.admission()), '| B:', JSON.stringify(B.admission()));
// B hears the provider: b and c each have 10 requests left of 10 (b and c are tier 1: a is made to fail so B reaches them).
for (let i = 0; i < 4; i++) await send(B, { plan: { a: 'err500', b: 'ok', c: 'ok' }, rl: { limit: 10, remaining: 10 } }).catch((e) => console.log('B send', e.code));
await sleep(50);
// A syncs with the fleet on its next request (served by a), adopting B's readings.
await send(A, { plan: { a: 'ok' } });
await sleep(50);
await send(A, { plan: { a: 'ok' } });
console.log('B believes left (b, c):', await quota(B));
console.log('A believes left (b, c):', await quota(A));
// Now a request on A that must go to tier 1.
let refused = 0, served = 0;
for (let i = 0; i < 5; i++) await send(A, { plan: { a: 'err500', b: 'ok', c: 'ok' } }).then(() => served++, (e) => { refused++; if (refused === 1) console.log('A refusal:', e.code, e.message.slice(0, 160)); });
console.log(`A: served ${served}, refused ${refused}`);
await A.close(); await B.close(); for (const u of ups) await u.close();
clearTimeout(kill);
