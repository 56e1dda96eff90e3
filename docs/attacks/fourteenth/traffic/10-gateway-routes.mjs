// Gateway routes a stock OpenAI client reaches that are not in the gateway's table, and browser framing:
// conversations (needed before `conversation` on /responses), stored chat completions, moderations, OPTIONS, HEAD.
import OpenAI from 'openai';
import { upstream, gateway, json, UPKEY, GK, show } from './lib.mjs';

const up = await upstream((req, buf, res) => {
  const u = new URL(req.url, 'http://x');
  if (u.pathname === '/v1/conversations') return json(res, 200, { id: 'conv_1', object: 'conversation', created_at: 1, metadata: {} });
  if (u.pathname === '/v1/responses') return json(res, 200, { id: 'resp_1', object: 'response', status: 'completed', model: 'gpt-4.1', conversation: { id: 'conv_1' }, output: [], usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 } });
  if (u.pathname.startsWith('/v1/conversations/')) return json(res, 200, { id: 'conv_1', object: 'conversation', created_at: 1, metadata: {} });
  if (u.pathname === '/v1/moderations') return json(res, 200, { id: 'modr', model: 'omni-moderation-latest', results: [] });
  if (u.pathname.startsWith('/v1/chat/completions')) return json(res, 200, { object: 'list', data: [], has_more: false, first_id: null, last_id: null });
  json(res, 404, { error: { message: 'nope' } });
});
const gw = await gateway([{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }]);
const c = new OpenAI({ apiKey: GK, baseURL: `${gw.url}/v1`, maxRetries: 0 });
const d = new OpenAI({ apiKey: UPKEY, baseURL: up.url, maxRetries: 0 });
const steps = {
  conversations_create: (x) => x.conversations.create({ metadata: { a: 'b' } }),
  responses_with_conversation: (x) => x.responses.create({ model: 'gpt-4.1', input: 'hi', conversation: 'conv_1' }),
  moderations: (x) => x.moderations.create({ input: 'x' }),
  stored_chat_list: (x) => x.chat.completions.list({ limit: 2 }),
};
for (const [name, step] of Object.entries(steps)) {
  for (const [cn, cl] of [['direct', d], ['gateway', c]]) {
    let out;
    try { const r = await step(cl); out = `ok ${JSON.stringify(r).slice(0, 80)}`; } catch (e) { out = `THROWS ${e.constructor.name} ${e.status} ${JSON.stringify(e.error ?? e.message).slice(0, 160)}`; }
    show(`${name} ${cn}`, out);
  }
}
for (const [method, path, headers] of [
  ['OPTIONS', '/v1/chat/completions', { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-stainless-os' }],
  ['HEAD', '/v1/models', { authorization: `Bearer ${GK}` }],
]) {
  const r = await fetch(`${gw.url}${path}`, { method, headers });
  show(`${method} ${path}`, `${r.status} acao=${r.headers.get('access-control-allow-origin')} ${(await r.text()).slice(0, 120)}`);
}
await gw.close(0); await up.close();
