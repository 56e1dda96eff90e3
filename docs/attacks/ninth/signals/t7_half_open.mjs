// Trip a's breaker with 500s, wait for half-open, then fire 20 concurrent requests: how many probes reach a?
import { upstream, createRouter, OK, ERR, send, health, eps } from './lib.mjs';
let beh = {};
const up = await upstream(new Proxy({}, { get: (_, k) => beh[k] }));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
for (const recovered of [false, true]) {
  let phase = 'trip';
  beh = { a: async () => { if (phase === 'trip') return ERR(500, {}, { error: { message: 'boom', type: 'server_error' } }); await sleep(300); return recovered ? OK() : ERR(500, {}, { error: { message: 'boom', type: 'server_error' } }); } };
  up.reset();
  const router = createRouter({ endpoints: eps(up, ['a', 'b']), breaker: { consecutiveFailures: 3, openMs: 400, minimumVolume: 3 } });
  const events = []; router.subscribe((e) => { if (e.type === 'breaker-change' || e.type?.startsWith('breaker')) events.push(`${e.type}:${e.to ?? e.position ?? ''}`); });
  for (let i = 0; i < 6; i++) await send(router);
  const h1 = (await health(router)).find((x) => x.name === 'a');
  const tripHits = up.counts.a;
  await sleep(500);
  phase = 'probe';
  const before = up.counts.a ?? 0;
  const results = await Promise.all(Array.from({ length: 20 }, () => send(router)));
  const probeHits = (up.counts.a ?? 0) - before;
  const h2 = (await health(router)).find((x) => x.name === 'a');
  console.log(`a ${recovered ? 'recovered' : 'still failing'}: after trip a.breaker=${h1.breaker} (a hits during trip=${tripHits}); 20 concurrent at half-open -> hits on a=${probeHits}, served by a=${results.filter((r) => r.endpoint === 'a').length}, b=${results.filter((r) => r.endpoint === 'b').length}, failed=${results.filter((r) => !r.ok).length}; after: a.breaker=${h2.breaker}; events=${events.join(' ')}`);
  await router.close();
}
await up.close();
