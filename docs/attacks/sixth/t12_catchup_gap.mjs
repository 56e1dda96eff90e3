// Silent gap seen by the caller while a replay "catches up" to the delivered text, vs deadlineMs and streamIdleTimeoutMs+firstByteTimeoutMs.
import OpenAI from 'openai';
import { startRaw, createFetch, hardTimeout, sleep } from './lib.mjs';
hardTimeout(60000);
const WORDS = Array.from({ length: 30 }, (_, i) => `w${i} `);
const chunk = (id, delta, fin = null) => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1', choices: [{ index: 0, delta, finish_reason: fin }] })}\n\n`;
const up = (name, cutAt, delayMs) => startRaw(name, async (ctx) => {
  ctx.sse(); ctx.write(chunk(name, { role: 'assistant', content: '' }));
  for (let i = 0; i < WORDS.length; i++) {
    if (ctx.closed) return;
    if (i === cutAt) { await sleep(10); return ctx.end(); }
    ctx.write(chunk(name, { content: WORDS[i] })); await sleep(delayMs);
  }
  ctx.write(chunk(name, {}, 'stop')); ctx.write('data: [DONE]\n\n'); ctx.end();
});
const P = await up('P', 20, 5), B = await up('B', -1, 400);
const cfg = { endpoints: [{ name: 'P', baseUrl: P.baseUrl, apiKey: 'k', priority: 0 }, { name: 'B', baseUrl: B.baseUrl, apiKey: 'k', priority: 1 }], deadlineMs: 2000, streamIdleTimeoutMs: 1500, firstByteTimeoutMs: 1500, retryBudget: { ratio: 1 } };
const f = createFetch(cfg);
const c = new OpenAI({ apiKey: 'x', fetch: f, maxRetries: 0, timeout: 30000 });
const t0 = Date.now(); let last = t0, maxGap = 0, gapAt = 0, text = '', fin;
try {
  for await (const ch of await c.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x' }], stream: true })) {
    const now = Date.now(); if (now - last > maxGap) { maxGap = now - last; gapAt = last - t0; } last = now;
    text += ch.choices[0]?.delta?.content ?? ''; fin = ch.choices[0]?.finish_reason ?? fin;
  }
  console.log(`ended fin=${fin} whole=${text === WORDS.join('')}`);
} catch (e) { console.log('threw', e.message.slice(0, 200)); }
console.log(`total ${Date.now() - t0} ms; longest silence seen by caller ${maxGap} ms starting at t=${gapAt} ms; deadlineMs=2000, streamIdleTimeoutMs+firstByteTimeoutMs=3000`);
await f.router.close?.(); await P.close(); await B.close(); process.exit(0);
