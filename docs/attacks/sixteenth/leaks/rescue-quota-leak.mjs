// A mid-stream rescue whose routing loop gives up after it reserved quota (here: the retry budget refuses its second
// attempt) never settles that reservation: router.admission().reserved stays > 0 forever. Control: the same give-up
// on a plain request returns to 0.
import { createRouter } from '@detour/node';
import { startUpstream } from './upstream.mjs';
const kill = setTimeout(() => { console.log('TIMEOUT'); process.exit(2); }, 60000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ups = await Promise.all(['a', 'b', 'c'].map((n) => startUpstream(n)));
const router = createRouter({
  endpoints: ups.map((u, i) => ({ name: u.name, baseUrl: u.url, apiKey: 'sk-x-0123456789abcdef', priority: i === 0 ? 0 : 1 })),
  deadlineMs: 5000, rescueHeartbeatMs: 0,
  // One retry per 10 s window, none earned by traffic: the rescue itself spends it.
  retryBudget: { ratio: 0, minPerSecond: 0.1, ttlMs: 10000 },
  breaker: { consecutiveFailures: 100 },
});
const send = (extra) => router.send({ method: 'POST', path: '/chat/completions', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...extra }) });
const drain = async (result) => { let n = 0; try { for await (const c of result.stream) n += c.length; return `read ${n} bytes, ended`; } catch (e) { return `read ${n} bytes, then ${e.constructor.name}: ${e.message.slice(0, 120)}`; } };
const events = [];
router.subscribe((e) => { if (e.type === 'stream-rescue' || e.type === 'request-end') events.push(`${e.type}:${e.outcome ?? ''}${e.code ?? ''}`); });

console.log('baseline', JSON.stringify(router.admission()));
// Control: plain JSON request, a=500 then the retry on b is refused by the budget (giveUp inside sendRequest).
await send({ plan: { a: 'err500', b: 'err500', c: 'err500' } }).then(() => console.log('control: served?'), (e) => console.log('control:', e.code, '-', e.message.slice(0, 100)));
console.log('after control   ', JSON.stringify(router.admission()));
await sleep(10500); // let the budget window pass
for (let i = 1; i <= 3; i++) {
  const result = await send({ stream: true, plan: { a: 'streamcut', b: 'err500', c: 'err500' } });
  console.log(`rescue #${i}:`, await drain(result));
  await sleep(300);
  console.log(`after rescue #${i}`, JSON.stringify(router.admission()), 'pending', (await router.health()).map((e) => `${e.name}:${e.pending}`).join(' '));
  await sleep(10500);
}
console.log('events', events.join(' '));
console.log('upstream open', ups.map((u) => u.open), 'served', ups.map((u) => JSON.stringify(u.byMode)).join(' '));
await router.close(); for (const u of ups) await u.close();
clearTimeout(kill);
