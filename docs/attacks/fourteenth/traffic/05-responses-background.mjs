// The Responses API's background mode and stream resumption, through the gateway and createFetch, with the openai SDK:
// create(background) → queued JSON; retrieve(id, {stream:true, starting_after}) → SSE on a GET; cancel; incomplete
// JSON (content_filter); input_items paging; delete.
import OpenAI from 'openai';
import { upstream, gateway, createFetch, json, UPKEY, GK, show } from './lib.mjs';

const resp = (status, extra = {}) => ({ id: 'resp_bg1', object: 'response', created_at: 1, status, background: true, model: 'gpt-4.1', output: [], usage: null, error: null, incomplete_details: null, ...extra });
const completedResp = resp('completed', { output: [{ type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Hello', annotations: [] }] }], usage: { input_tokens: 10, output_tokens: 2, total_tokens: 12, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } } });
const up = await upstream((req, buf, res) => {
  const u = new URL(req.url, 'http://x');
  if (req.method === 'POST' && u.pathname === '/v1/responses') {
    const b = JSON.parse(buf);
    if (b.input === 'filter') return json(res, 200, resp('incomplete', { background: false, incomplete_details: { reason: 'content_filter' }, usage: { input_tokens: 5, output_tokens: 1, total_tokens: 6 } }));
    return json(res, 200, resp('queued'));
  }
  if (req.method === 'GET' && u.pathname === '/v1/responses/resp_bg1' && u.searchParams.get('stream') === 'true') {
    const after = Number(u.searchParams.get('starting_after') ?? -1);
    const events = [
      { type: 'response.created', sequence_number: 0, response: resp('queued') },
      { type: 'response.queued', sequence_number: 1, response: resp('queued') },
      { type: 'response.in_progress', sequence_number: 2, response: resp('in_progress') },
      { type: 'response.output_text.delta', sequence_number: 3, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Hel' },
      { type: 'response.output_text.delta', sequence_number: 4, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'lo' },
      { type: 'response.completed', sequence_number: 5, response: completedResp },
    ].filter((e) => e.sequence_number > after);
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    for (const e of events) res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    return res.end();
  }
  if (req.method === 'GET' && u.pathname === '/v1/responses/resp_bg1') return json(res, 200, completedResp);
  if (req.method === 'POST' && u.pathname === '/v1/responses/resp_bg1/cancel') return json(res, 200, resp('cancelled'));
  if (req.method === 'GET' && u.pathname === '/v1/responses/resp_bg1/input_items') return json(res, 200, { object: 'list', data: [{ id: 'msg_0', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text: 'hi' }] }], first_id: 'msg_0', last_id: 'msg_0', has_more: false });
  if (req.method === 'DELETE' && u.pathname === '/v1/responses/resp_bg1') return json(res, 200, { id: 'resp_bg1', object: 'response.deleted', deleted: true });
  json(res, 404, { error: { message: `no ${req.method} ${req.url}`, type: 'invalid_request_error' } });
});
const gw = await gateway([{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }]);
const fetch = createFetch({ endpoints: [{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }] });
const clients = {
  direct: new OpenAI({ apiKey: UPKEY, baseURL: up.url, maxRetries: 0 }),
  gateway: new OpenAI({ apiKey: GK, baseURL: `${gw.url}/v1`, maxRetries: 0 }),
  createFetch: new OpenAI({ apiKey: 'x', fetch, maxRetries: 0 }),
};
const steps = {
  create_background: async (c) => (await c.responses.create({ model: 'gpt-4.1', input: 'hi', background: true })).status,
  incomplete_content_filter: async (c) => { const r = await c.responses.create({ model: 'gpt-4.1', input: 'filter' }); return `${r.status}/${r.incomplete_details?.reason}`; },
  resume_stream_all: async (c) => { const s = await c.responses.retrieve('resp_bg1', { stream: true }); const seen = []; for await (const e of s) seen.push(e.sequence_number); return seen.join(','); },
  resume_stream_after_3: async (c) => { const s = await c.responses.retrieve('resp_bg1', { stream: true, starting_after: 3 }); const seen = []; for await (const e of s) seen.push(`${e.sequence_number}:${e.type}`); return seen.join(','); },
  retrieve: async (c) => (await c.responses.retrieve('resp_bg1')).output_text,
  input_items: async (c) => { const p = await c.responses.inputItems.list('resp_bg1', { limit: 5, order: 'asc' }); return `${p.data.length} items; upstream url ${up.seen.at(-1).url}`; },
  cancel: async (c) => (await c.responses.cancel('resp_bg1')).status,
  delete: async (c) => JSON.stringify(await c.responses.delete('resp_bg1')),
};
for (const [name, step] of Object.entries(steps)) {
  for (const [cn, c] of Object.entries(clients)) {
    let out;
    try { out = await step(c); } catch (e) { out = `THROWS ${e.constructor.name} ${e.status ?? ''} ${e.message}`.slice(0, 250); }
    show(`${name} ${cn}`, out);
  }
}
show('gateway access log', gw.logs.map((l) => `${l.method} ${l.route} ${l.status} ${l.endpoint} cost=${l.costUsd}`));
await gw.close(0); await fetch.router.close(); await up.close();
