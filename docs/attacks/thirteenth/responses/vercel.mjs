// Vercel AI SDK (openai responses model) through createFetch against scenarios.
import { createOpenAI } from '@ai-sdk/openai';
import { streamText, generateText, generateObject } from 'ai';
import { z } from 'zod';
import { createFetch } from '@detour/node';
import { start, sse, events, ev } from './upstream.mjs';
const all = events('resp_A').join('');
const base = events('resp_A');
const sc = {
  normal: (r) => { sse(r); r.end(all); },
  lastNewlineSplit: (r) => { sse(r); r.write(all.slice(0, -1)); setTimeout(() => r.end('\n'), 30); },
  cutAfterText: (r) => { sse(r); r.write(base.slice(0, 6).join('')); setTimeout(() => r.destroy(), 30); },
  complStatusFailed: (r) => { sse(r); r.write(base.slice(0, 6).join('')); setTimeout(() => r.end(ev('response.completed', { response: { id: 'resp_A', status: 'failed', error: { code: 'server_error', message: 'x' }, output: [] } }, 99)), 30); },
};
let cur;
const A = await start((req, r) => sc[cur](r));
for (const name of Object.keys(sc)) {
  cur = name;
  const openai = createOpenAI({ apiKey: 'x', fetch: createFetch({ endpoints: [{ name: 'A', baseUrl: A.url, apiKey: 'a', provider: 'openai' }] }) });
  let out = '', err = null, fin, usage;
  try { const r = streamText({ model: openai('gpt-4.1'), prompt: 'hi', maxRetries: 0, onError: ({ error }) => { err = 'onError:' + String(error?.message ?? error).slice(0, 70); } });
    for await (const t of r.textStream) out += t; fin = await r.finishReason; usage = await r.usage; } catch (e) { err = (err ?? '') + ' throw:' + String(e.message).slice(0, 70); }
  console.log(`streamText ${name.padEnd(18)} text=${JSON.stringify(out)} finish=${fin} usage=${JSON.stringify(usage)} err=${err}`);
}
A.srv.close(); process.exit(0);
