// A createFetch per request forgets everything the last one learned: a primary answering 429 with Retry-After 20 s
// is asked again by every request. Counts the primary's hits for 20 sequential requests, shared fetch vs per request.
import { createFetch } from '@detour/node';
import OpenAI from 'openai';
import { startChaosUpstream } from '@detour/testkit';
const A = await startChaosUpstream({ name: 'A', script: [{ fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 20000 } }] });
const B = await startChaosUpstream({ name: 'B' });
const endpoints = [{ name: 'primary', baseUrl: A.baseUrl, apiKey: 'k' }, { name: 'backup', baseUrl: B.baseUrl, apiKey: 'k', priority: 1 }];
const shared = createFetch({ endpoints });
for (const [label, make] of [['one shared createFetch', () => shared], ['createFetch per request', () => createFetch({ endpoints })]]) {
  A.resetStats(); B.resetStats();
  let attempts = 0;
  for (let i = 0; i < 20; i++) {
    const { response } = await new OpenAI({ apiKey: 'x', fetch: make(), maxRetries: 0 }).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    attempts += Number(response.headers.get('x-detour-attempts'));
  }
  console.log(`${label.padEnd(24)}: 20 requests, ${attempts} attempts; primary (429, Retry-After 20 s) asked ${A.stats().total} times, backup ${B.stats().total}`);
}
await A.close(); await B.close(); process.exit(0);
