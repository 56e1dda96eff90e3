// Anthropic SDK direct vs gateway vs createFetch: thinking blocks with signatures and streamed tool_use
// (input_json_delta), byte for byte on the stream; count_tokens; batches; models.
import Anthropic from '@anthropic-ai/sdk';
import { upstream, gateway, createFetch, json, UPKEY, GK, show } from './lib.mjs';

const msg = { id: 'msg_01', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 25, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1, service_tier: 'standard' } };
const events = [
  { type: 'message_start', message: msg },
  { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me think – é ☃' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' } },
  { type: 'content_block_stop', index: 0 },
  { type: 'ping' },
  { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: {} } },
  { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '' } },
  { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"loc' } },
  { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: 'ation": "Paris"}' } },
  { type: 'content_block_stop', index: 1 },
  { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 89 } },
  { type: 'message_stop' },
];
const up = await upstream((req, buf, res) => {
  const u = new URL(req.url, 'http://x');
  if (u.pathname === '/v1/messages/count_tokens') return json(res, 200, { input_tokens: 14 });
  if (u.pathname.startsWith('/v1/messages/batches')) return json(res, 200, { id: 'msgbatch_1', type: 'message_batch', processing_status: 'in_progress', request_counts: { processing: 1, succeeded: 0, errored: 0, canceled: 0, expired: 0 }, ended_at: null, created_at: '2024-01-01T00:00:00Z', expires_at: '2024-01-02T00:00:00Z', cancel_initiated_at: null, results_url: null, archived_at: null });
  if (u.pathname === '/v1/models') return json(res, 200, { data: [{ type: 'model', id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' }], has_more: false, first_id: 'claude-sonnet-4-5-20250929', last_id: 'claude-sonnet-4-5-20250929' });
  const b = JSON.parse(buf);
  if (!b.stream) return json(res, 200, { ...msg, content: [{ type: 'thinking', thinking: 'hm', signature: 'sig' }, { type: 'text', text: 'Hi', citations: null }], stop_reason: 'end_turn', usage: { ...msg.usage, output_tokens: 5 } }, { 'request-id': 'req_ant1', 'anthropic-ratelimit-requests-remaining': '49' });
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'request-id': 'req_ant2' });
  for (const e of events) res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
  res.end();
});
const gw = await gateway([{ name: 'an', baseUrl: up.url, apiKey: UPKEY, provider: 'anthropic', models: ['claude-sonnet-4-5'] }]);
const fetch = createFetch({ endpoints: [{ name: 'an', baseUrl: up.url, apiKey: UPKEY, provider: 'anthropic' }] });
const clients = {
  direct: new Anthropic({ apiKey: UPKEY, baseURL: up.origin, maxRetries: 0 }),
  gateway: new Anthropic({ apiKey: GK, baseURL: gw.url, maxRetries: 0 }),
  createFetch: new Anthropic({ apiKey: 'x', fetch, maxRetries: 0 }),
};
const params = { model: 'claude-sonnet-4-5', max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 1024 }, tools: [{ name: 'get_weather', input_schema: { type: 'object' } }], messages: [{ role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral', ttl: '1h' } }] }] };
for (const [name, c] of Object.entries(clients)) {
  const out = [];
  try {
    const { data, response, request_id } = await c.messages.create(params, { headers: { 'anthropic-beta': 'interleaved-thinking-2025-05-14' } }).withResponse();
    out.push(`json content=${data.content.map((b) => b.type).join('+')} reqid=${request_id} rl=${response.headers.get('anthropic-ratelimit-requests-remaining')} beta-up=${up.seen.at(-1).headers['anthropic-beta']} ver-up=${up.seen.at(-1).headers['anthropic-version']}`);
    const stream = c.messages.stream({ ...params });
    const final = await stream.finalMessage();
    out.push(`stream blocks=${final.content.map((b) => b.type === 'tool_use' ? `tool_use${JSON.stringify(b.input)}` : b.type === 'thinking' ? `thinking(${b.thinking}|${b.signature.slice(0, 8)})` : b.type).join('+')} stop=${final.stop_reason} usage=${JSON.stringify(final.usage)}`);
    const ct = await c.messages.countTokens({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] });
    out.push(`count_tokens=${ct.input_tokens}`);
    try { const b = await c.messages.batches.create({ requests: [{ custom_id: 'a', params: { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] } }] }); out.push(`batch=${b.id}`); } catch (e) { out.push(`batch THROWS ${e.constructor.name} ${e.status} ${e.message.slice(0, 160)}`); }
    try { const m = await c.models.list(); out.push(`models=${m.data.map((x) => x.id)}`); } catch (e) { out.push(`models THROWS ${e.status} ${e.message.slice(0, 100)}`); }
  } catch (e) { out.push(`THROWS ${e.constructor.name} ${e.status} ${e.message.slice(0, 200)}`); }
  show(name, out);
}
// Raw stream bytes, direct vs gateway.
const raw = async (url, headers) => (await (await globalThis.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers }, body: JSON.stringify({ ...params, stream: true }) })).text());
const d = await raw(`${up.url}/messages`, { 'x-api-key': UPKEY });
const g = await raw(`${gw.url}/v1/messages`, { 'x-api-key': GK });
show('stream bytes identical direct vs gateway', String(d === g));
show('gateway access log', gw.logs.map((l) => `${l.route} ${l.status} cost=${l.costUsd}`));
await gw.close(0); await fetch.router.close(); await up.close();
