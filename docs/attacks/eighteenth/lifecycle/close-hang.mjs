// How long router.close() takes when something is still open: there is no destroy() and no close timeout.
import { createFetch } from '@detour/node';
import OpenAI from 'openai';
import { spawnUpstream } from './lib.mjs';
const A = await spawnUpstream('A', { completionTokens: 40, script: [
  { when: { model: 'hang' }, fault: { type: 'hang' } },
  { when: { model: 'slow' }, fault: { type: 'slow-body', chunkDelayMs: 300 } },
  { when: { model: 'stall' }, fault: { type: 'stall', afterTokens: 2 } },
] }, 120);
const endpoints = [{ name: 'a', baseUrl: A.baseUrl, apiKey: 'k' }];
const CAP = 20000;
const timeClose = async (label, setup) => {
  const fetch = createFetch({ endpoints });
  const c = new OpenAI({ apiKey: 'x', fetch, maxRetries: 0 });
  const pending = await setup(c);
  const t = Date.now();
  const r = await Promise.race([fetch.router.close().then(() => `resolved in ${Date.now() - t} ms`, (e) => `rejected ${e.message}`), new Promise((res) => setTimeout(() => res(`still pending after ${CAP} ms`), CAP))]);
  console.log(`${label.padEnd(58)}: close() ${r}`);
  pending?.p?.catch?.(() => {});
};
await timeClose('a request waiting on a hung upstream (default deadline)', async (c) => { const p = c.chat.completions.create({ model: 'hang', messages: [{ role: 'user', content: 'hi' }] }); p.catch(() => {}); await new Promise((r) => setTimeout(r, 300)); return { p }; });
await timeClose('a stream taken, read 1 chunk, then left unread', async (c) => { const s = await c.chat.completions.create({ model: 'slow', messages: [{ role: 'user', content: 'hi' }], stream: true }); await s[Symbol.asyncIterator]().next(); });
await timeClose('a stream being read whose upstream stalled', async (c) => { const s = await c.chat.completions.create({ model: 'stall', messages: [{ role: 'user', content: 'hi' }], stream: true }); const p = (async () => { for await (const _ of s); })(); p.catch(() => {}); await new Promise((r) => setTimeout(r, 300)); return { p }; });
A.kill();
process.exit(0);
