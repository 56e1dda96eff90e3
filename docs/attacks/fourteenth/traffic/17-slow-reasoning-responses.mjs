// A reasoning model over the Responses API, streamed: response.created / in_progress / the reasoning item's
// output_item.added come at once, then nothing while the model reasons (here GAP ms, default 62 s), then the
// message and response.completed. Direct vs gateway (default config) with the openai SDK. Also an Anthropic stream
// with extended thinking whose pings stop (no ping for GAP) to see the same bound on Messages.
import OpenAI from 'openai';
import { upstream, gateway, UPKEY, GK, show } from './lib.mjs';

const GAP = Number(process.argv[2] ?? 62_000);
const t0 = Date.now();
const at = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const resp = (status, output = [], usage = null) => ({ id: 'resp_r1', object: 'response', created_at: 1, status, model: 'o3', output, usage, error: null, incomplete_details: null });
const up = await upstream((req, buf, res) => {
  console.log(`[${at()}] upstream request #${up.seen.length}`);
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
  let seq = 0;
  const e = (x) => res.write(`event: ${x.type}\ndata: ${JSON.stringify({ ...x, sequence_number: seq++ })}\n\n`);
  e({ type: 'response.created', response: resp('in_progress') });
  e({ type: 'response.in_progress', response: resp('in_progress') });
  e({ type: 'response.output_item.added', output_index: 0, item: { type: 'reasoning', id: 'rs_1', summary: [] } });
  const timer = setTimeout(() => {
    const msg = { type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'QED', annotations: [] }] };
    e({ type: 'response.output_item.done', output_index: 0, item: { type: 'reasoning', id: 'rs_1', summary: [] } });
    e({ type: 'response.output_item.added', output_index: 1, item: { ...msg, status: 'in_progress', content: [] } });
    e({ type: 'response.output_text.delta', item_id: 'msg_1', output_index: 1, content_index: 0, delta: 'QED' });
    e({ type: 'response.output_item.done', output_index: 1, item: msg });
    e({ type: 'response.completed', response: resp('completed', [{ type: 'reasoning', id: 'rs_1', summary: [] }, msg], { input_tokens: 100, output_tokens: 20000, output_tokens_details: { reasoning_tokens: 19990 }, total_tokens: 20100 }) });
    res.end();
  }, GAP);
  res.on('close', () => clearTimeout(timer));
});
const gw = await gateway([{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }]);
const run = async (label, client) => {
  try {
    const s = await client.responses.create({ model: 'o3', input: 'prove it', reasoning: { effort: 'high' }, stream: true });
    const types = [];
    for await (const ev of s) types.push(ev.type.replace('response.', ''));
    show(`[${at()}] ${label}`, `ok events=${types.join(',')}`);
  } catch (e) { show(`[${at()}] ${label}`, `THROWS ${e.constructor.name} ${e.status ?? ''} ${e.message.slice(0, 200)}`); }
};
await Promise.all([run('direct', new OpenAI({ apiKey: UPKEY, baseURL: up.url })), run('gateway', new OpenAI({ apiKey: GK, baseURL: `${gw.url}/v1` }))]);
await new Promise((r) => setTimeout(r, 100));
show('gateway access log', gw.logs);
await gw.close(0); await up.close();
