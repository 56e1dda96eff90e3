// Abort signals as applications use them: one long-lived signal for every call, already-aborted ones, custom reasons.
import { getEventListeners } from 'node:events';
import { createFetch } from '@detour/node';
import OpenAI from 'openai';
import { spawnUpstream } from './lib.mjs';
const A = await spawnUpstream('A', { completionTokens: 20, script: [
  { when: { model: 'slow' }, fault: { type: 'slow-body', chunkDelayMs: 100 } },
  { when: { model: 'hang' }, fault: { type: 'hang' } },
  { when: { model: 'fail' }, fault: { type: 'status', status: 500 } },
] }, 200);
const warnings = [];
process.on('warning', (w) => warnings.push(`${w.name}: ${w.message.slice(0, 140)}`));
const fetch = createFetch({ endpoints: [{ name: 'a', baseUrl: A.baseUrl, apiKey: 'k' }, { name: 'a2', baseUrl: A.baseUrl, apiKey: 'k2', priority: 1 }] });
const url = 'https://api.openai.com/v1/chat/completions';
const body = (model, stream = false) => JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...(stream ? { stream: true } : {}) });
const post = (model, signal, stream) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(model, stream), signal });
const describe = (e) => `${e?.constructor?.name}(name=${e?.name}, code=${e?.code ?? '-'}, message=${JSON.stringify(String(e?.message).slice(0, 80))})`;
const wait = (ms) => new Promise((r) => setTimeout(r, ms));

console.log('--- 1. one AbortController for the app\'s life, passed to every call');
const life = new AbortController();
for (const [label, fn] of [
  ['json ok', () => post('ok', life.signal).then((r) => r.text())],
  ['stream read to end', () => post('ok', life.signal, true).then((r) => r.text())],
  ['stream cancelled after first chunk', async () => { const r = await post('slow', life.signal, true); const rd = r.body.getReader(); await rd.read(); await rd.cancel(); }],
  ['openai SDK chat', () => new OpenAI({ apiKey: 'x', fetch, maxRetries: 0 }).chat.completions.create({ model: 'ok', messages: [{ role: 'user', content: 'hi' }] }, { signal: life.signal })],
  ['json failed (500 on both)', () => post('fail', life.signal).then((r) => r.text())],
]) {
  for (let i = 0; i < 200; i++) await fn();
  console.log(`  after 200 × ${label.padEnd(36)}: ${getEventListeners(life.signal, 'abort').length} abort listeners on the long-lived signal`);
}

const fetchFresh = createFetch({ endpoints: [{ name: 'a', baseUrl: A.baseUrl, apiKey: 'k' }, { name: 'a2', baseUrl: A.baseUrl, apiKey: 'k2', priority: 1 }] });
const postF = (model, signal, stream) => fetchFresh(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(model, stream), signal });
console.log('--- 2. an already-aborted signal');
const gone = AbortSignal.abort();
console.log(`  detour fetch : ${await postF('ok', gone).then((r) => `resolved ${r.status}`, describe)}`);
console.log(`  global fetch : ${await globalThis.fetch(`${A.baseUrl}/chat/completions`, { method: 'POST', body: body('ok'), signal: gone }).then((r) => `resolved ${r.status}`, describe)}`);
const custom = new AbortController(); custom.abort(new Error('user left the page'));
console.log(`  detour fetch, custom reason : ${await postF('ok', custom.signal).then((r) => `resolved ${r.status}`, describe)}`);
console.log(`  global fetch, custom reason : ${await globalThis.fetch(`${A.baseUrl}/chat/completions`, { method: 'POST', body: body('ok'), signal: custom.signal }).then((r) => `resolved ${r.status}`, describe)}`);
const sdk = new OpenAI({ apiKey: 'x', fetch: fetchFresh, maxRetries: 0 });
console.log(`  openai SDK, aborted signal : ${await sdk.chat.completions.create({ model: 'ok', messages: [{ role: 'user', content: 'hi' }] }, { signal: gone }).then(() => 'resolved', describe)}`);

console.log('--- 3. aborted while waiting for headers (hang), custom reason / AbortSignal.timeout');
for (const [label, mk] of [['custom reason', () => { const c = new AbortController(); setTimeout(() => c.abort(new Error('shutting down')), 300); return c.signal; }], ['AbortSignal.timeout(300)', () => AbortSignal.timeout(300)], ['abort() no reason', () => { const c = new AbortController(); setTimeout(() => c.abort(), 300); return c.signal; }]]) {
  const t = Date.now();
  const d = await postF('hang', mk()).then((r) => `resolved ${r.status}`, describe);
  const g = await globalThis.fetch(`${A.baseUrl}/chat/completions`, { method: 'POST', body: body('hang'), signal: mk() }).then((r) => `resolved ${r.status}`, describe);
  console.log(`  ${label}: detour ${d} in ${Date.now() - t} ms\n  ${' '.repeat(label.length)}  global ${g}`);
}

console.log('--- 4. aborted mid-stream (after the Response resolved), custom reason');
for (const [name, f, u] of [['detour', postF, null], ['global', (m, s, st) => globalThis.fetch(`${A.baseUrl}/chat/completions`, { method: 'POST', body: body(m, st), signal: s }), null]]) {
  const c = new AbortController();
  const r = await f('slow', c.signal, true);
  const rd = r.body.getReader(); await rd.read();
  setTimeout(() => c.abort(new Error('user pressed stop')), 150);
  let out; try { while (!(await rd.read()).done); out = 'ended cleanly'; } catch (e) { out = describe(e); }
  console.log(`  ${name}: body read → ${out}`);
}
const c4 = new AbortController();
const s4 = await sdk.chat.completions.create({ model: 'slow', messages: [{ role: 'user', content: 'hi' }], stream: true }, { signal: c4.signal });
setTimeout(() => c4.abort(new Error('user pressed stop')), 300);
try { for await (const _ of s4); console.log('  openai SDK stream: ended cleanly'); } catch (e) { console.log(`  openai SDK stream: ${describe(e)}`); }
await wait(500);
console.log(`warnings: ${warnings.length ? warnings.join(' | ') : 'none'}`);
A.kill();
process.exit(0);
