// Anthropic Message Batches results (JSONL, application/binary) through createFetch vs direct, Anthropic SDK.
import Anthropic from '@anthropic-ai/sdk';
import { upstream, createFetch, json, UPKEY, show } from './lib.mjs';
let origin;
const up = await upstream((req, buf, res) => {
  const p = new URL(req.url, 'http://x').pathname;
  if (p === '/v1/messages/batches/msgbatch_1') return json(res, 200, { id: 'msgbatch_1', type: 'message_batch', processing_status: 'ended', request_counts: { processing: 0, succeeded: 2, errored: 0, canceled: 0, expired: 0 }, ended_at: '2024-01-01T00:00:00Z', created_at: '2024-01-01T00:00:00Z', expires_at: '2024-01-02T00:00:00Z', cancel_initiated_at: null, archived_at: null, results_url: `${origin}/v1/messages/batches/msgbatch_1/results` });
  if (p === '/v1/messages/batches/msgbatch_1/results') {
    res.writeHead(200, { 'content-type': 'application/binary' });
    const line = (id) => JSON.stringify({ custom_id: id, result: { type: 'succeeded', message: { id: `msg_${id}`, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: 'hi' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 5, output_tokens: 2 } } } });
    return res.end(`${line('a')}\n${line('b')}\n`);
  }
  json(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'nope' } });
});
origin = up.origin;
const f = createFetch({ endpoints: [{ name: 'an', baseUrl: up.url, apiKey: UPKEY, provider: 'anthropic' }] });
for (const [name, c] of [['direct', new Anthropic({ apiKey: UPKEY, baseURL: up.origin, maxRetries: 0 })], ['createFetch', new Anthropic({ apiKey: 'x', fetch: f, maxRetries: 0 })]]) {
  try { const ids = []; for await (const r of await c.messages.batches.results('msgbatch_1')) ids.push(`${r.custom_id}:${r.result.type}`); show(name, ids.join(',')); }
  catch (e) { show(name, `THROWS ${e.constructor.name} ${e.status ?? ''} ${e.message.slice(0, 200)}`); }
}
await f.router.close(); await up.close();
