// In-process: createRouter with N endpoints on a no-op transport; same load; time per request
import { core, okBody, resp, makeEndpoints, pct, hr } from './lib.mjs';
const body = okBody();
const reqBody = JSON.stringify({model:'gpt-4.1-mini',messages:[{role:'user',content:'hi'}]});
for (const variant of ['plain', 'models50', 'limits', 'headers']) {
for (const n of [1, 50, 200, 1000]) {
  const extra = variant === 'plain' ? () => ({}) : variant === 'models50' ? () => ({ models: Object.fromEntries(Array.from({length:50},(_,j)=>[`model-${j}`, `dep-${j}`]).concat([['gpt-4.1-mini','gpt-4.1-mini']])) }) : () => ({ limits: { rpm: 1000000, tpm: 100000000 } });
  const t0 = hr();
  let router;
  try { router = core.createRouter({ endpoints: makeEndpoints(n, extra) }, { transport: async () => resp(200, body, variant === 'headers' ? {'x-ratelimit-limit-requests':'10000','x-ratelimit-remaining-requests':'9999','x-ratelimit-reset-requests':'6ms','x-ratelimit-limit-tokens':'1000000','x-ratelimit-remaining-tokens':'999000','x-ratelimit-reset-tokens':'60ms'} : {}) }); }
  catch (e) { console.log(variant, n, 'create failed', e.message.slice(0,300)); continue; }
  const tCreate = hr() - t0;
  // warm
  for (let i = 0; i < 500; i++) await router.send({ path: '/chat/completions', body: reqBody });
  const lat = []; const N = 3000; const s = hr();
  for (let i = 0; i < N; i++) { const a = hr(); await router.send({ path: '/chat/completions', body: reqBody }); lat.push(hr() - a); }
  const el = hr() - s;
  const h0 = hr(); const h = await router.health(); const th = hr() - h0;
  console.log(`${variant.padEnd(8)} n=${String(n).padStart(4)} create=${tCreate.toFixed(1)}ms  req/s=${(N/el*1000).toFixed(0)}  p50=${(pct(lat,.5)*1000).toFixed(0)}us p99=${(pct(lat,.99)*1000).toFixed(0)}us  health()=${th.toFixed(2)}ms (${Array.isArray(h)?h.length:Object.keys(h).length})`);
}}
