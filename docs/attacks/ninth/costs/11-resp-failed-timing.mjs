// Same response.failed stream (usage 1000 in / 500 out), sent in one write vs with 50 ms between events: priced alike?
import { upstream, sse, ev, watchdog, R } from './up.mjs';
const { createFetch } = await import(`${R}/packages/node/dist/index.js`);
watchdog(20000);
let delay = 0;
const respUsage = { input_tokens: 1000, input_tokens_details: { cached_tokens: 800 }, output_tokens: 500, output_tokens_details: { reasoning_tokens: 300 }, total_tokens: 1500 };
const resp = (status, extra = {}) => ({ id: 'resp_1', object: 'response', created_at: 1, status, model: 'gpt-5', output: [], usage: null, ...extra });
const up = await upstream(async (req, body, res) => sse(res, [ev('response.created', { type: 'response.created', response: resp('in_progress') }), ev('response.output_text.delta', { type: 'response.output_text.delta', sequence_number: 1, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'w ' }), ev('response.failed', { type: 'response.failed', response: resp('failed', { error: { code: 'server_error', message: 'x' }, usage: respUsage }) })], { delay }));
for (const dl of [0, 50]) {
  delay = dl;
  const fetch = createFetch({ endpoints: [{ name: 'a', baseUrl: `${up.url}/v1`, apiKey: 'k' }], maxAttempts: 1 });
  const recs = []; fetch.router.subscribe((e) => { if (e.type === 'cost-record') recs.push(e); });
  const r = await fetch('http://detour.invalid/v1/responses', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-5', stream: true, input: 'x' }) });
  await r.text().catch(() => {}); await new Promise((x) => setTimeout(x, 100));
  console.log(`delay ${dl}ms: status ${r.status}`, JSON.stringify(recs.map((e) => ({ costUsd: e.costUsd, est: e.estimated, outcome: e.outcome, in: e.usage.inputTokens, out: e.usage.outputTokens }))));
  await fetch.router.close?.();
}
console.log('usage the provider reported prices at', (200*1.25 + 800*0.125 + 500*10)/1e6);
await up.close(); process.exit(0);
