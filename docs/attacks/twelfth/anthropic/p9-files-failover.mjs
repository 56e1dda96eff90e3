// files.upload through createFetch: (a) the SDK's `fetch('data:,')` probe, (b) failover of a multipart body
import Anthropic, { toFile } from '@anthropic-ai/sdk';
import { raw, json, anthErr, createFetch, endpointsFor, deadline } from './lib.mjs';
import { Readable } from 'node:stream';
deadline(20000);
const realistic = (req, body, res) => {
  if (req.method === 'POST' && req.url.startsWith('/v1/files')) return json(res, 200, { id: 'file_1', type: 'file', filename: 'a', mime_type: 'text/plain', size_bytes: body.length, created_at: '2025-01-01T00:00:00Z' });
  json(res, 404, anthErr('not_found_error', `Not found: ${req.method} ${req.url}`));
};
const p = await raw('p', (req, body, res) => req.method === 'POST' ? json(res, 529, anthErr('overloaded_error', 'Overloaded')) : realistic(req, body, res));
const b = await raw('b', realistic);
const f = createFetch({ endpoints: endpointsFor([p, b]) });
const events = [];
const client = new Anthropic({ apiKey: 'unused', fetch: f, maxRetries: 0 });
// (a) the probe alone, exactly as the SDK makes it
const probe = await f('data:,');
console.log('fetch("data:,") ->', probe.status, (await probe.text()).slice(0, 120));
console.log('upstream requests caused by it: p=', p.reqs.map((r) => `${r.method} ${r.url} key=${r.headers['x-api-key']}`), 'b=', b.reqs.map((r) => `${r.method} ${r.url}`));
console.log('health after probe:', JSON.stringify((await f.router.health()).map((h) => ({ n: h.name, reason: h.reason, cooldownUntil: h.cooldownUntil, modelCooldowns: h.modelCooldowns, breaker: h.breaker }))));
// (b) multipart upload with failover: from a stream body (non-replayable) and from a buffer
const content = 'A'.repeat(5000);
for (const [label, file] of [['buffer', await toFile(Buffer.from(content), 'a.txt', { type: 'text/plain' })], ['stream', await toFile(Readable.from([Buffer.from(content)]), 'a.txt', { type: 'text/plain' })]]) {
  const n0 = p.reqs.length, m0 = b.reqs.length;
  try { const { data, response } = await client.beta.files.upload({ file }).withResponse(); console.log(label, 'OK size', data.size_bytes, 'ep', response.headers.get('x-detour-endpoint')); } catch (e) { console.log(label, 'ERR', e.constructor.name, e.status, (e.message ?? '').slice(0, 200)); }
  console.log('   p got', p.reqs.slice(n0).map((r) => `${r.method} ${r.url} len=${r.body.length}`), 'b got', b.reqs.slice(m0).map((r) => `${r.method} ${r.url} len=${r.body.length} hasContent=${r.body.includes(content)}`));
}
p.close(); b.close(); process.exit(0);
