// Baselines for signals.mjs: the openai SDK with its default fetch (no Detour), same long-lived signal, same mid-stream abort.
import { getEventListeners } from 'node:events';
import OpenAI from 'openai';
import { spawnUpstream } from './lib.mjs';
const A = await spawnUpstream('A', { completionTokens: 20, script: [{ when: { model: 'slow' }, fault: { type: 'slow-body', chunkDelayMs: 100 } }] }, 100);
const sdk = new OpenAI({ apiKey: 'x', baseURL: A.baseUrl, maxRetries: 0 });
const life = new AbortController();
for (let i = 0; i < 200; i++) await sdk.chat.completions.create({ model: 'ok', messages: [{ role: 'user', content: 'hi' }] }, { signal: life.signal });
console.log(`openai SDK, default fetch, 200 calls: ${getEventListeners(life.signal, 'abort').length} abort listeners on the long-lived signal`);
const c4 = new AbortController();
const s4 = await sdk.chat.completions.create({ model: 'slow', messages: [{ role: 'user', content: 'hi' }], stream: true }, { signal: c4.signal });
setTimeout(() => c4.abort(new Error('user pressed stop')), 300);
try { let k = 0; for await (const _ of s4) k++; console.log(`openai SDK stream, default fetch, aborted mid-stream: ended cleanly after ${k} chunks`); } catch (e) { console.log(`openai SDK stream: ${e?.constructor?.name} ${e.message}`); }
A.kill(); process.exit(0);
