// One short "script" that makes a call and should exit. Prints DONE when its work is over; the parent times the exit.
import { createFetch } from '@detour/node';
import OpenAI from 'openai';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText } from 'ai';
const vercel = (fetch) => createOpenAI({ apiKey: 'x', fetch });
const [scenario, A, B] = process.argv.slice(2);
const t0 = Date.now();
const both = [{ name: 'a', baseUrl: `${A}/v1`, apiKey: 'ka', priority: 0 }, { name: 'b', baseUrl: `${B}/v1`, apiKey: 'kb', priority: 1 }];
const onlyA = [{ name: 'a', baseUrl: `${A}/v1`, apiKey: 'ka', priority: 0 }, { name: 'a2', baseUrl: `${A}/v1`, apiKey: 'ka2', priority: 1 }];
const plain = scenario.startsWith('plain-');
const mk = (endpoints, extra = {}) => createFetch({ endpoints, ...extra });
const client = (fetch) => new OpenAI({ apiKey: 'x', baseURL: plain ? `${A}/v1` : undefined, fetch, maxRetries: 0 });
const msg = (model, stream = false) => ({ model, messages: [{ role: 'user', content: 'hi' }], ...(stream ? { stream: true } : {}) });
let note = '';
try {
  switch (scenario) {
    case 'json-ok': { const c = client(mk(both)); note = (await c.chat.completions.create(msg('ok'))).choices[0].message.content.slice(0, 20); break; }
    case 'json-fail-all': { const c = client(mk(onlyA)); await c.chat.completions.create(msg('fail')).catch((e) => { note = `${e.status} ${e.headers?.get?.('x-detour-error')}`; }); break; }
    case 'json-429-failover': { const c = client(mk(both)); note = (await c.chat.completions.create(msg('rl'))).choices[0].message.content.slice(0, 20); break; }
    case 'json-deadline': { const c = client(mk(onlyA, { deadlineMs: 1500 })); await c.chat.completions.create(msg('hang')).catch((e) => { note = `${e.status} ${e.headers?.get?.('x-detour-error')}`; }); break; }
    case 'stream-full': { const c = client(mk(both)); let k = 0; for await (const _ of await c.chat.completions.create(msg('ok', true))) k++; note = `${k} chunks`; break; }
    case 'stream-break': { const c = client(mk(both)); let k = 0; for await (const _ of await c.chat.completions.create(msg('slow', true))) { if (++k === 2) break; } note = `broke after ${k}`; break; }
    case 'plain-stream-break': { const c = client(undefined); let k = 0; for await (const _ of await c.chat.completions.create(msg('slow', true))) { if (++k === 2) break; } note = `broke after ${k}`; break; }
    case 'stream-unread': { const c = client(mk(both)); const s = await c.chat.completions.create(msg('slow', true)); const it = s[Symbol.asyncIterator](); await it.next(); note = 'left after 1 chunk'; break; }
    case 'plain-stream-unread': { const c = client(undefined); const s = await c.chat.completions.create(msg('slow', true)); const it = s[Symbol.asyncIterator](); await it.next(); note = 'left after 1 chunk'; break; }
    case 'stream-stall-unread': { const c = client(mk(both)); const s = await c.chat.completions.create(msg('stall', true)); const it = s[Symbol.asyncIterator](); await it.next(); note = 'left stalled stream'; break; }
    case 'stream-unread-idle15s': { const c = client(mk(both, { streamIdleTimeoutMs: 15000 })); const s = await c.chat.completions.create(msg('slow', true)); const it = s[Symbol.asyncIterator](); await it.next(); note = 'left after 1 chunk, streamIdleTimeoutMs 15000'; break; }
    case 'raw-stream-unread': { const f = mk(both); const r = await f('https://api.openai.com/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(msg('slow', true)) }); note = `status ${r.status}, body never read`; break; }
    case 'after-close': { const f = mk(both); const c = client(f); await c.chat.completions.create(msg('ok')); await f.router.close(); note = 'closed'; break; }
    case 'admission': { const f = mk([{ ...both[0], limits: { rpm: 60 } }, both[1]]); const c = client(f); await c.chat.completions.create(msg('ok')); note = JSON.stringify(f.router.admission()); break; }
    case 'stream-full-close': { const f = mk(both); const c = client(f); let k = 0; for await (const _ of await c.chat.completions.create(msg('ok', true))) k++; await f.router.close(); note = `${k} chunks, closed`; break; }
    case 'ai-generateText': { const o = vercel(mk(both)); note = (await generateText({ model: o('ok'), prompt: 'hi', maxRetries: 0 })).text.slice(0, 20); break; }
    case 'ai-streamText-full': { const o = vercel(mk(both)); const r = streamText({ model: o('ok'), prompt: 'hi', maxRetries: 0 }); let t = ''; for await (const p of r.textStream) t += p; note = t.slice(0, 20); break; }
    case 'ai-streamText-break': { const o = vercel(mk(both)); const r = streamText({ model: o('slow'), prompt: 'hi', maxRetries: 0 }); let k = 0; for await (const _ of r.textStream) if (++k === 2) break; note = `broke after ${k}`; break; }
    case 'ai-streamText-abort': { const o = vercel(mk(both)); const ac = new AbortController(); const r = streamText({ model: o('slow'), prompt: 'hi', maxRetries: 0, abortSignal: ac.signal, onError: () => {} }); let k = 0; try { for await (const _ of r.textStream) if (++k === 2) ac.abort(new Error('stop')); } catch (e) { note = `threw ${e.name}`; } note += ` aborted after ${k}`; break; }
    case 'ai-streamText-unconsumed': { const o = vercel(mk(both)); const r = streamText({ model: o('slow'), prompt: 'hi', maxRetries: 0, onError: () => {} }); await new Promise((res) => setTimeout(res, 500)); note = 'result never consumed'; break; }
    case 'plain-ai-streamText-unconsumed': { const o = createOpenAI({ apiKey: 'x', baseURL: `${A}/v1` }); const r = streamText({ model: o('slow'), prompt: 'hi', maxRetries: 0, onError: () => {} }); await new Promise((res) => setTimeout(res, 500)); note = 'result never consumed (no Detour)'; break; }
    case 'ai-streamText-partial': { const o = vercel(mk(both)); const r = streamText({ model: o('slow'), prompt: 'hi', maxRetries: 0, onError: () => {} }); const it = r.textStream[Symbol.asyncIterator](); await it.next(); await it.next(); note = 'read 2 parts, left'; break; }
    case 'plain-ai-streamText-partial': { const o = createOpenAI({ apiKey: 'x', baseURL: `${A}/v1` }); const r = streamText({ model: o('slow'), prompt: 'hi', maxRetries: 0, onError: () => {} }); const it = r.textStream[Symbol.asyncIterator](); await it.next(); await it.next(); note = 'read 2 parts, left (no Detour)'; break; }
    default: throw new Error(`unknown ${scenario}`);
  }
} catch (e) { note = `threw ${e?.constructor?.name}: ${String(e?.message).slice(0, 100)}`; }
setTimeout(() => console.log("RESOURCES", JSON.stringify(process.getActiveResourcesInfo())), 1000).unref();
console.log(`DONE ${scenario} in ${Date.now() - t0} ms: ${note}`);
