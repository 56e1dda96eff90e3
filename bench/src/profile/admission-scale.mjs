// Admission's cost with many endpoints, in process: a router (core's, from the built dist given, default this
// checkout's) on a transport that answers at once, each answer carrying OpenAI's rate-limit headers ('headers') or
// the endpoints configured with limits ('limits'), at 1, 200 and 1,000 endpoints; prints the mean and median time a
// request. Attack 18's scale script (docs/attacks/eighteenth/scale/s1_router_scale.mjs), cut down. Two builds side
// by side: node bench/src/profile/admission-scale.mjs /other/checkout/packages/core/dist
// Usage: node bench/src/profile/admission-scale.mjs [core dist folder] [headers,limits]
const dist = process.argv[2] ?? new URL('../../../packages/core/dist', import.meta.url).pathname;
const core = await import(`${dist}/index.js`);
const enc = new TextEncoder();
const body = enc.encode(JSON.stringify({id:'x',object:'chat.completion',created:1,model:'m',choices:[{index:0,message:{role:'assistant',content:'hi'},finish_reason:'stop'}],usage:{prompt_tokens:5,completion_tokens:2,total_tokens:7}}));
const hdr = {'content-type':'application/json','x-ratelimit-limit-requests':'10000','x-ratelimit-remaining-requests':'9999','x-ratelimit-reset-requests':'6ms','x-ratelimit-limit-tokens':'1000000','x-ratelimit-remaining-tokens':'999000','x-ratelimit-reset-tokens':'60ms'};
const resp = (variant) => ({ status: 200, headers: variant === 'headers' ? hdr : {'content-type':'application/json'}, headersLowerCase: true, body: (async function*(){ yield body; })(), cancel(){} });
const hr = () => Number(process.hrtime.bigint())/1e6;
const pct = (arr, p) => { const s=[...arr].sort((a,b)=>a-b); return s[Math.min(s.length-1, Math.floor(p*s.length))]; };
const reqBody = JSON.stringify({model:'gpt-4.1-mini',messages:[{role:'user',content:'hi'}]});
for (const variant of (process.argv[3] ?? 'headers,limits').split(',')) for (const n of [1, 200, 1000]) {
  const endpoints = Array.from({length:n}, (_, i) => ({ name: `ep-${i}`, baseUrl: 'http://127.0.0.1:9/v1', apiKey: `sk-proj-${'k'.repeat(20)}${i}`, ...(variant === 'limits' ? { limits: { rpm: 1e6, tpm: 1e8 } } : {}) }));
  const router = core.createRouter({ endpoints }, { transport: async () => resp(variant) });
  for (let i = 0; i < 2000; i++) await router.send({ path: '/chat/completions', body: reqBody });
  const lat = []; const N = n === 1000 ? 3000 : 10000; const s = hr();
  for (let i = 0; i < N; i++) { const a = hr(); await router.send({ path: '/chat/completions', body: reqBody }); lat.push(hr() - a); }
  const el = hr() - s;
  console.log(`${variant.padEnd(8)} n=${String(n).padStart(4)} mean=${(el/N*1000).toFixed(1)}us p50=${(pct(lat,.5)*1000).toFixed(1)}us`);
  await router.close?.();
}
