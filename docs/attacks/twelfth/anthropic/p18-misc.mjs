// (a) SSE whose first event is an error (pre-commit), (b) Messages to an OpenAI-only config, (c) cost of a cut (billed) stream
import Anthropic from '@anthropic-ai/sdk';
import { raw, json, sse, okMsg, ask, createFetch, endpointsFor, gateway, deadline } from './lib.mjs';
import { loadConfig, startGateway } from '@detour/worker';
deadline(30000);
const start = (id, u) => ['message_start', { type: 'message_start', message: { id, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: u } }];
const full = [start('b', { input_tokens: 10, output_tokens: 1 }), ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }], ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } }], ['content_block_stop', { type: 'content_block_stop', index: 0 }], ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 5 } }], ['message_stop', { type: 'message_stop' }]];
// (a)
{
  const p = await raw('p', (req, body, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.end(sse([['error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }]])); });
  const b = await raw('b', (req, body, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.end(sse(full)); });
  const c = new Anthropic({ apiKey: 'u', fetch: createFetch({ endpoints: endpointsFor([p, b]) }), maxRetries: 0 });
  try { const m = await c.messages.stream(ask).finalMessage(); console.log('(a) first-event error: OK', JSON.stringify(m.content), 'bHits', b.reqs.length); } catch (e) { console.log('(a) THROW', e.constructor.name, e.message.slice(0, 120)); }
  p.close(); b.close();
}
// (b)
{
  const o = await raw('o', (req, body, res) => json(res, 200, {}));
  const config = loadConfig({ endpoints: [{ name: 'o', baseUrl: o.baseUrl, apiKey: 'sk-o', provider: 'openai' }], gatewayKeys: ['gk-test'] }, {});
  const gw = await startGateway({ config });
  const c = new Anthropic({ baseURL: gw.url, apiKey: 'gk-test', maxRetries: 0 });
  try { await c.messages.create(ask); console.log('(b) unexpected OK'); } catch (e) { console.log('(b) Messages to OpenAI-only gateway:', e.constructor.name, e.status, JSON.stringify(e.error), 'xde', e.headers.get('x-detour-error'), 'upstreamHits', o.reqs.length); }
  await gw.close(); o.close();
}
// (c) cut stream after text, single endpoint, rescue fails (no backup): billed failed attempt priced?
{
  const u = { input_tokens: 100000, output_tokens: 1, cache_read_input_tokens: 0 };
  const p = await raw('p', (req, body, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.write(sse([start('p', u), full[1], full[2]])); setTimeout(() => res.destroy(), 40); });
  const gw = await gateway([p], { router: { rescue: 'off' } });
  const c = new Anthropic({ baseURL: gw.url, apiKey: 'gk-test', maxRetries: 0 });
  try { await c.messages.stream(ask).finalMessage(); console.log('(c) unexpected OK'); } catch (e) { console.log('(c) cut stream ->', e.constructor.name, e.message.slice(0, 60)); }
  await new Promise((r) => setTimeout(r, 200));
  const m = await (await fetch(gw.url + '/metrics')).text();
  console.log(m.split('\n').filter((l) => /^detour_(cost_usd_total|tokens_total)/.test(l)).join('\n'), '\n(c) expected >= input 100000*3/1e6 = 0.3 USD');
  await gw.close(); p.close();
}
process.exit(0);
