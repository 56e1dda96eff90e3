// A 400 carrying `x-should-retry: true` is retried on the same endpoint until maxAttempts (4 requests), though
// another endpoint is healthy and a 400 is about the request.
import { createFetch } from '../packages/node/dist/index.js';
import { startUpstream, keyFor } from './upstream.mjs';
import { withGateway, base } from './repro-common.mjs';
const err400 = { ...base, status: 400, shape: 'oaiError', ctype: 'application/json', etype: 'invalid_request_error', code: 'invalid_value', msg: 'bad param' };
for (const hdr of [[], [['x-should-retry', 'true']]]) {
  for (const status of [400, 404, 422]) {
    const plans = [[{ ...err400, status, extraHeaders: hdr }], [{ ...base, shape: 'json', ctype: 'application/json' }]];
    const { res, requests } = await withGateway(plans, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    console.log(`gateway: e0 answers ${status}${hdr.length ? ' + x-should-retry: true' : ''} -> caller ${res.status} ${res.headers['x-detour-error'] ?? ''} attempts=${res.headers['x-detour-attempts']} upstream requests ${JSON.stringify(requests)}`);
  }
}
// createFetch too
const up = await startUpstream();
up.reset([[{ ...err400, extraHeaders: [['x-should-retry', 'true']] }], [{ ...base, shape: 'json', ctype: 'application/json' }]]);
const f = createFetch({ endpoints: [0, 1].map((i) => ({ name: `e${i}`, baseUrl: up.base(i), apiKey: keyFor(i) })), deadlineMs: 3000 });
const r = await f('https://api.openai.com/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }) });
console.log(`createFetch: e0 400 + x-should-retry: true -> ${r.status}, upstream requests ${JSON.stringify(up.state.requests.map((q) => q.ep))}`);
await up.close();
process.exit(0);
