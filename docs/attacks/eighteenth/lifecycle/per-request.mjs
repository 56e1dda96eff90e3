// The common mistake: a createFetch (and an OpenAI client) made per request and never closed.
// Measures heap, fds, sockets and handles per instance, while calls run and after the pools idle out.
import { readdirSync } from 'node:fs';
import { createFetch } from '@detour/node';
import OpenAI from 'openai';
import { spawnUpstream } from './lib.mjs';
const A = await spawnUpstream('A', {}, 200);
const N = Number(process.argv[2] ?? 1000);
const mode = process.argv[3] ?? 'chat'; // chat | stream
const fds = () => readdirSync('/proc/self/fd').length;
const res = () => { const r = {}; for (const k of process.getActiveResourcesInfo()) r[k] = (r[k] ?? 0) + 1; return JSON.stringify(r); };
const snap = (label) => { globalThis.gc(); const m = process.memoryUsage(); console.log(`${label.padEnd(34)} heapUsed ${(m.heapUsed / 1e6).toFixed(1)} MB rss ${(m.rss / 1e6).toFixed(1)} MB fds ${fds()} ${res()}`); return m.heapUsed; };
const warnings = [];
process.on('warning', (w) => warnings.push(`${w.name}: ${w.message.slice(0, 160)}`));
const handler = async (i) => {
  const fetch = createFetch({ endpoints: [{ name: 'a', baseUrl: A.baseUrl, apiKey: 'k' }] });
  const client = new OpenAI({ apiKey: 'x', fetch, maxRetries: 0 });
  if (mode === 'stream') { let k = 0; for await (const _ of await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: `hi ${i}` }], stream: true })) k++; return k; }
  return (await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: `hi ${i}` }] })).choices[0].message.content;
};
await handler(-1); await new Promise((r) => setTimeout(r, 5000));
const base = snap('baseline (1 warm-up, idle)');
const run = async (n, conc) => { let next = 0; await Promise.all(Array.from({ length: conc }, async () => { while (next < n) await handler(next++); })); };
const t = Date.now();
await run(N, 10);
console.log(`${N} requests, 10 concurrent, one createFetch each: ${Date.now() - t} ms`);
const hot = snap(`right after ${N}`);
await new Promise((r) => setTimeout(r, 6000));
const cold = snap(`6 s later (keep-alive 4 s passed)`);
await run(N, 10);
await new Promise((r) => setTimeout(r, 6000));
const cold2 = snap(`another ${N}, 6 s later`);
console.log(`retained per instance after idle: ${((cold - base) / N).toFixed(0)} B (first batch), ${((cold2 - cold) / N).toFixed(0)} B (second batch); while hot ${((hot - base) / N).toFixed(0)} B`);
console.log(`warnings: ${warnings.length ? warnings.join(' | ') : 'none'}`);
A.kill();
process.exit(0);
