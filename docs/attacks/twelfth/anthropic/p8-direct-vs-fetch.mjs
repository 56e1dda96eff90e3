// Compare what the SDK sends directly to an upstream with what the upstream sees through createFetch (URL, query, headers)
import Anthropic, { toFile } from '@anthropic-ai/sdk';
import { raw, json, okMsg, ask, createFetch, endpointsFor, deadline } from './lib.mjs';
deadline(20000);
const b = await raw('b', (req, body, res) => json(res, 200, req.url.includes('count_tokens') ? { input_tokens: 1 } : req.url.includes('files') ? { id: 'file_1', type: 'file', filename: 'a', mime_type: 'text/plain', size_bytes: 1, created_at: '2025-01-01T00:00:00Z' } : okMsg('x')));
const direct = new Anthropic({ baseURL: b.origin, apiKey: 'k', maxRetries: 0 });
const via = new Anthropic({ apiKey: 'unused', fetch: createFetch({ endpoints: endpointsFor([b]) }), maxRetries: 0 });
for (const [name, c] of [['direct', direct], ['createFetch', via]]) {
  const n0 = b.reqs.length;
  await c.beta.messages.countTokens({ model: 'claude-sonnet-4-5', messages: ask.messages, betas: ['token-counting-2024-11-01'] });
  await c.beta.messages.create({ ...ask, betas: ['interleaved-thinking-2025-05-14'] });
  await c.beta.files.upload({ file: await toFile(Buffer.from('hello'), 'a.txt', { type: 'text/plain' }) });
  for (const r of b.reqs.slice(n0)) console.log(name.padEnd(12), r.method, r.url, 'beta=', r.headers['anthropic-beta'], 'ct=', (r.headers['content-type'] ?? '').slice(0, 40), 'len=', r.body.length);
}
b.close(); process.exit(0);
