// A legitimate large JSON answer: the Vercel AI SDK's embedMany (encoding_format "float", up to 2048 values a call for
// OpenAI) on text-embedding-3-small (1536 dims), answered in OpenAI's pretty-printed float format (one number a line,
// ~23 bytes each) — about 72 MB. Direct vs createFetch vs gateway (default maxResponseBytes 64 MiB).
import { createOpenAI } from '@ai-sdk/openai';
import { embedMany } from 'ai';
import { upstream, gateway, createFetch, UPKEY, GK, show } from './lib.mjs';

const N = Number(process.argv[2] ?? 2048);
const DIMS = 1536;
let cached;
const build = (n) => {
  const parts = ['{\n  "object": "list",\n  "data": [\n'];
  const vec = Array.from({ length: DIMS }, (_, i) => `        ${(-0.006929283 + i * 1e-9).toFixed(9)}`).join(',\n');
  for (let i = 0; i < n; i++) parts.push(`    {\n      "object": "embedding",\n      "index": ${i},\n      "embedding": [\n${vec}\n      ]\n    }${i < n - 1 ? ',' : ''}\n`);
  parts.push(`  ],\n  "model": "text-embedding-3-small",\n  "usage": {\n    "prompt_tokens": ${n * 100},\n    "total_tokens": ${n * 100}\n  }\n}\n`);
  return Buffer.from(parts.join(''));
};
const up = await upstream((req, buf, res) => {
  const b = JSON.parse(buf);
  cached ??= build(b.input.length);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': cached.length });
  res.end(cached);
});
const values = Array.from({ length: N }, (_, i) => `chunk ${i}`);
const gw = await gateway([{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }]);
const f = createFetch({ endpoints: [{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }] });
for (const [name, provider] of [
  ['direct', createOpenAI({ apiKey: UPKEY, baseURL: up.url })],
  ['createFetch', createOpenAI({ apiKey: 'x', fetch: f })],
  ['gateway', createOpenAI({ apiKey: GK, baseURL: `${gw.url}/v1` })],
]) {
  const before = up.seen.length;
  try {
    const r = await embedMany({ model: provider.textEmbeddingModel('text-embedding-3-small'), values, maxRetries: 0 });
    show(name, `ok ${r.embeddings.length} embeddings of ${r.embeddings[0].length}; answer ${(cached.length / 1e6).toFixed(1)} MB; upstream requests ${up.seen.length - before}`);
  } catch (e) { show(name, `THROWS ${e.constructor.name} ${e.statusCode ?? ''} ${String(e.message).slice(0, 220)}; upstream requests ${up.seen.length - before}`); }
}
show('gateway log', gw.logs.map((l) => `${l.status} attempts=${l.attempts} cost=${l.costUsd}`));
await gw.close(0); await f.router.close(); await up.close();
