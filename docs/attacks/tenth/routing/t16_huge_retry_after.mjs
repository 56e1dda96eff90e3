// How long can one upstream's Retry-After take it out of rotation?
import { upstream, node, sleep, send200, sendStatus, body } from './lib.mjs';
for (const [st, ra] of [[503, '86400'], [429, '86400'], [500, '86400'], [503, 'Fri, 31 Dec 2100 23:59:59 GMT']]) {
  const A = await upstream('A', async (q, s) => sendStatus(s, st, { 'retry-after': ra }));
  const B = await upstream('B', async (q, s) => send200(s));
  const router = node.createRouter({ endpoints: [{ name: 'A', baseUrl: A.url }, { name: 'B', baseUrl: B.url, priority: 1 }] });
  for (let i = 0; i < 6; i++) await router.send({ path: '/chat/completions', body: body() }).catch(() => {});
  const now = Date.now();
  const h = (await router.health()).find((x) => x.name === 'A');
  const mc = Object.values(h.modelCooldowns)[0];
  console.log(`${st} Retry-After ${ra}: A hits ${A.hits}; breaker ${h.breaker} for ${Math.round((h.breakerOpenUntil - now) / 1000)} s, cooldown ${Math.round((h.cooldownUntil - now) / 1000)} s, model cooldown ${mc ? Math.round((mc - now) / 1000) : 0} s, disabled ${Math.max(0, Math.round((h.disabledUntil - now) / 1000))} s`);
  A.close(); B.close();
}
process.exit(0);
