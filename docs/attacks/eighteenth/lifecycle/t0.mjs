import { startChaosUpstream } from '@detour/testkit';
import { createFetch } from '@detour/node';
import OpenAI from 'openai';
const up = await startChaosUpstream({ name: 'a' });
const fetch = createFetch({ endpoints: [{ name: 'a', baseUrl: up.baseUrl, apiKey: 'k' }] });
const c = new OpenAI({ apiKey: 'x', fetch, maxRetries: 0 });
const r = await c.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] });
console.log(r.choices[0].message.content, up.baseUrl);
await up.close(); await fetch.router.close();
