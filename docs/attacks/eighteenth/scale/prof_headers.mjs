import { core, okBody, resp, makeEndpoints, pct, hr } from './lib.mjs';
const body = okBody();
const reqBody = JSON.stringify({model:'gpt-4.1-mini',messages:[{role:'user',content:'hi'}]});
const n = Number(process.env.N ?? 1000);
const H = {'x-ratelimit-limit-requests':'10000','x-ratelimit-remaining-requests':'9999','x-ratelimit-reset-requests':'6ms','x-ratelimit-limit-tokens':'1000000','x-ratelimit-remaining-tokens':'999000','x-ratelimit-reset-tokens':'60ms'};
const router = core.createRouter({ endpoints: makeEndpoints(n) }, { transport: async () => resp(200, body, process.env.NOH ? {} : H) });
for (let i = 0; i < 6000; i++) await router.send({ path: '/chat/completions', body: reqBody });
