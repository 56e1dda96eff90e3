// Upstream closes right after the response.completed data line, without the blank line that dispatches it.
import OpenAI from 'openai';
import { createFetch } from '@detour/node';
import { start, sse, events } from './upstream.mjs';
const all = events('resp_A').join('').slice(0, -1);
const A = await start((req, r) => { sse(r); r.end(all); });
const B = await start((req, r) => { sse(r); r.end(events('resp_B').join('')); });
const fetch = createFetch({ endpoints: [{ name: 'A', baseUrl: A.url, apiKey: 'a', priority: 0 }, { name: 'B', baseUrl: B.url, apiKey: 'b', priority: 1 }] });
const c = new OpenAI({ apiKey: 'x', fetch, maxRetries: 0 });
let last, threw = null, n = 0;
try { for await (const e of await c.responses.create({ model: 'm', input: 'hi', stream: true })) { last = e.type; n++; } } catch (e) { threw = e.message; }
console.log('events', n, 'last', last, 'threw', threw, `A=${A.seen.length} B=${B.seen.length}`);
A.srv.close(); B.srv.close(); process.exit(0);
