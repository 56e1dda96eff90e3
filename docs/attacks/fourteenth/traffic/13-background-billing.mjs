// Responses API background mode, as OpenAI documents it: POST /responses {background:true} answers at once with
// status "queued" and usage null; the client polls GET /responses/{id} until "completed", whose usage is the bill.
// What the gateway records: the queued answer is priced as an estimate from its id/metadata strings, and the
// completed answer's usage is never priced.
import OpenAI from 'openai';
import { upstream, gateway, json, UPKEY, GK, show } from './lib.mjs';

const base = { id: 'resp_bg42', object: 'response', created_at: 1, background: true, model: 'o3-2025-04-16', error: null, incomplete_details: null, reasoning: { effort: 'high' } };
const done = { ...base, status: 'completed', output: [{ type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'QED', annotations: [] }] }],
  usage: { input_tokens: 100, input_tokens_details: { cached_tokens: 0 }, output_tokens: 20000, output_tokens_details: { reasoning_tokens: 19990 }, total_tokens: 20100 } };
let polls = 0;
const up = await upstream((req, buf, res) => {
  if (req.method === 'POST') return json(res, 200, { ...base, status: 'queued', output: [], usage: null });
  polls += 1;
  return json(res, 200, polls < 3 ? { ...base, status: 'in_progress', output: [], usage: null } : done);
});
const gw = await gateway([{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }]);
const client = new OpenAI({ apiKey: GK, baseURL: `${gw.url}/v1` });
let r = await client.responses.create({ model: 'o3', input: 'Prove the theorem.', background: true, reasoning: { effort: 'high' } });
while (r.status === 'queued' || r.status === 'in_progress') r = await client.responses.retrieve(r.id);
show('client got', `${r.status} "${r.output_text}" usage=${JSON.stringify(r.usage)}`);
show('provider bills (o3 list: $2 in, $8 out per MTok)', (100 * 2 + 20000 * 8) / 1e6);
show('gateway access log', gw.logs.map((l) => `${l.method} ${l.route} ${l.status} costUsd=${l.costUsd}`));
const metrics = await (await fetch(`${gw.url}/metrics`)).text();
show('detour_cost_usd_total', metrics.split('\n').filter((l) => l.startsWith('detour_cost_usd_total')));
show('detour_tokens_total', metrics.split('\n').filter((l) => l.startsWith('detour_tokens_total')));
await gw.close(0); await up.close();
