import { createFetch } from '@detour/node';
const f = createFetch({ endpoints: [{ name: 'solo', baseUrl: 'http://127.0.0.1:9/v1', limits: { rpm: 30 } }] });
const h = f.router.health(); console.log(typeof h, Array.isArray(h), h instanceof Promise, JSON.stringify(await h).slice(0, 600));
await f.router.close();
