// Same leak seen at the gateway: /healthz queue.reserved climbs by one per failed rescue and never returns to 0.
import { setup, raw, KEY, sleep, statusOf } from './gw-harness.mjs';
const kill = setTimeout(() => { console.log('TIMEOUT'); process.exit(2); }, 60000);
const { ups, gw, port } = await setup({ retryBudget: { ratio: 0, minPerSecond: 0.5, ttlMs: 2000 }, breaker: { consecutiveFailures: 100 } },
  {}, { a: { priority: 0 }, b: { priority: 1 }, c: { priority: 1 } });
const healthz = async () => (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).queue;
console.log('baseline /healthz queue', JSON.stringify(await healthz()));
for (let i = 1; i <= 4; i++) {
  const body = JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }], plan: { a: 'streamcut', b: 'err500', c: 'err500' } });
  const r = await raw(port, { headers: { authorization: `Bearer ${KEY}` }, body });
  await sleep(2100); // the budget window passes: each rescue starts with one retry
  console.log(`request ${i}: HTTP ${statusOf(r.got)}, ended by ${r.why}, body mentions rescue failure: ${/rescue/i.test(r.got)}; /healthz queue`, JSON.stringify(await healthz()));
}
await sleep(3000);
console.log('quiesced, in-flight requests 0; /healthz queue', JSON.stringify(await healthz()), 'pending', (await gw.router.health()).map((e) => e.pending).join(','), 'upstream open', ups.map((u) => u.open).join(','));
await gw.close(100); for (const u of ups) await u.close();
clearTimeout(kill);
