// Vercel AI SDK streamText with abortSignal aborted mid-stream: what the caller catches, through Detour and without.
import { createFetch } from '@detour/node';
import { createOpenAI } from '@ai-sdk/openai';
import { streamText, generateText } from 'ai';
import { spawnUpstream } from './lib.mjs';
const A = await spawnUpstream('A', { completionTokens: 40, script: [{ when: { model: 'slow' }, fault: { type: 'slow-body', chunkDelayMs: 200 } }, { when: { model: 'hang' }, fault: { type: 'hang' } }] }, 100);
const detour = createOpenAI({ apiKey: 'x', fetch: createFetch({ endpoints: [{ name: 'a', baseUrl: A.baseUrl, apiKey: 'k' }] }) });
const plain = createOpenAI({ apiKey: 'x', baseURL: A.baseUrl });
const d = (e) => `${e?.constructor?.name} name=${e?.name} message=${JSON.stringify(String(e?.message).slice(0, 90))} cause=${e?.cause ? `${e.cause.constructor?.name}:${String(e.cause.message ?? e.cause).slice(0, 60)}` : '-'} isRetryable=${e?.isRetryable ?? '-'}`;
for (const [name, o] of [['detour', detour], ['plain ', plain]]) {
  for (const reason of [undefined, new Error('user pressed stop')]) {
    const ac = new AbortController(); let k = 0; let caught = 'nothing thrown'; const errs = [];
    const r = streamText({ model: o('slow'), prompt: 'hi', maxRetries: 0, abortSignal: ac.signal, onError: ({ error }) => errs.push(d(error)), onAbort: () => errs.push('onAbort called') });
    try { for await (const _ of r.textStream) if (++k === 3) ac.abort(reason); } catch (e) { caught = d(e); }
    console.log(`${name} streamText mid-stream abort(${reason ? 'Error' : ''}): after ${k} parts: ${caught}; callbacks: ${errs.join(' ; ') || '-'}`);
  }
  const ac = new AbortController(); setTimeout(() => ac.abort(), 300);
  console.log(`${name} generateText abort before headers: ${await generateText({ model: o('hang'), prompt: 'hi', maxRetries: 0, abortSignal: ac.signal }).then(() => 'resolved', d)}`);
}
A.kill(); process.exit(0);
