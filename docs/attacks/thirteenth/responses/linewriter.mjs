// Realistic upstream that writes each SSE line with its own write() (no delays). How often is response.completed lost?
import OpenAI from 'openai';
import { createFetch } from '@detour/node';
import { start, sse, events } from './upstream.mjs';
const evs = events('resp_A');
const gap = Number(process.argv[2] ?? 0);
const A = await start(async (req, r) => { sse(r); for (const e of evs) { const [l1, l2] = e.split('\n'); r.write(l1 + '\n'); r.write(l2 + '\n'); if (gap) await new Promise((s) => setTimeout(s, gap)); r.write('\n'); } r.end(); });
const fetch = createFetch({ endpoints: [{ name: 'A', baseUrl: A.url, apiKey: 'a' }] });
const c = new OpenAI({ apiKey: 'x', fetch, maxRetries: 0 });
let lost = 0; const N = 30;
for (let i = 0; i < N; i++) { let last; for await (const e of await c.responses.create({ model: 'm', input: 'hi', stream: true })) last = e.type; if (last !== 'response.completed') lost++; }
console.log(`gap=${gap}ms: response.completed lost in ${lost}/${N} streams (clean end, no error)`);
A.srv.close(); process.exit(0);
