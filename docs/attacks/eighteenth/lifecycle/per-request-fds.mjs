// Per-request createFetch under a 1024 open-file limit (run under `ulimit -n 1024`): the same traffic through one
// shared fetch, then through a fetch made per request. Each never-closed router keeps its keep-alive socket 4 s.
import { createFetch } from '@detour/node';
import OpenAI from 'openai';
import { readdirSync } from 'node:fs';
import { spawnUpstream } from './lib.mjs';
const A = process.env.UP ? { baseUrl: process.env.UP + '/v1', kill() {} } : await spawnUpstream('A', {}, 200);
const endpoints = [{ name: 'a', baseUrl: A.baseUrl, apiKey: 'k' }];
const shared = createFetch({ endpoints });
const fds = () => { try { return readdirSync('/proc/self/fd').length; } catch (e) { return `(${e.code})`; } };
const run = async (label, makeFetch, n, conc) => {
  let next = 0, ok = 0, maxFds = 0; const errors = {};
  const t = Date.now();
  await Promise.all(Array.from({ length: conc }, async () => {
    while (next < n) {
      const i = next++;
      const client = new OpenAI({ apiKey: 'x', fetch: makeFetch(), maxRetries: 0 });
      try { await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: `hi ${i}` }] }); ok++; }
      catch (e) { const k = `${e.status ?? ''} ${e.headers?.get?.('x-detour-error') ?? ''} ${String(e.error?.message ?? e.message).slice(0, 90)}`; errors[k] = (errors[k] ?? 0) + 1; }
      if (i % 50 === 0) { const f = fds(); maxFds = typeof f === 'number' ? Math.max(maxFds, f) : f; }
    }
  }));
  console.log(`${label}: ${ok}/${n} ok in ${Date.now() - t} ms, peak fds ~${maxFds} (last sample); errors: ${JSON.stringify(errors)}`);
};
console.log(`open-file limit: ${process.argv[2]}`);
await run('one shared createFetch   ', () => shared, 3000, 20);
await new Promise((r) => setTimeout(r, 5000));
await run('createFetch per request  ', () => createFetch({ endpoints }), 3000, 20);
A.kill();
process.exit(0);
