// Stall after response.created; and completed-then-connection-held-open; with streamIdleTimeoutMs 1500.
import OpenAI from 'openai';
import { createFetch } from '@detour/node';
import { start, sse, events } from './upstream.mjs';
const base = events('resp_A'); let cur;
const A = await start((req, r) => { sse(r); if (cur === 'stall') r.write(base.slice(0, 6).join('')); else r.write(base.join('')); /* never end */ });
const fetch = createFetch({ streamIdleTimeoutMs: 1500, endpoints: [{ name: 'A', baseUrl: A.url, apiKey: 'a' }] });
const c = new OpenAI({ apiKey: 'x', fetch, maxRetries: 0 });
for (cur of ['stall', 'completedHeldOpen']) {
  const t0 = Date.now(); let last, threw = null;
  try { for await (const e of await c.responses.create({ model: 'm', input: 'hi', stream: true })) last = e.type; } catch (e) { threw = e.message.slice(0, 90); }
  console.log(cur, 'ms', Date.now() - t0, 'last', last, 'threw', threw);
}
A.srv.closeAllConnections(); A.srv.close(); process.exit(0);
