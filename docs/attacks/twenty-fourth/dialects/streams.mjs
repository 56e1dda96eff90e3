// Streaming fidelity: endpoint "a" streams a real provider's wire format (errors in a 200 stream, keep-alives,
// filter chunks); "b" streams a clean answer. Request via openai / anthropic SDK through the gateway CLI.
// Prints attempts per fake, the text the caller got, whether the SDK saw an error, x-detour-* headers, access log.
import { fake, gateway, openai, anthropic, hardExit, sleep } from './lib.mjs';
import { streamCases, moreStreamCases, filterCases } from './stream-cases.mjs';
hardExit(300000);
const only = process.argv.slice(2);
const sse = (s) => s.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
const chunk = (content, finish = null, extra = {}) => `data: ${JSON.stringify({ id: 'chatcmpl-b', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: content == null ? {} : { content }, finish_reason: finish }], ...extra })}\n\n`;
const cleanChat = async (q, s) => { sse(s); for (const w of ['B1 ', 'B2 ', 'B3']) s.write(chunk(w)); s.write(chunk(null, 'stop')); s.write(`data: ${JSON.stringify({ id: 'chatcmpl-b', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 } })}\n\n`); s.end('data: [DONE]\n\n'); };
const ev = (name, obj) => `event: ${name}\ndata: ${JSON.stringify(obj)}\n\n`;
const cleanMsg = async (q, s) => { sse(s); s.write(ev('message_start', { type: 'message_start', message: { id: 'msg_b', type: 'message', role: 'assistant', model: 'claude-x', content: [], stop_reason: null, usage: { input_tokens: 10, output_tokens: 1 } } })); s.write(ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })); for (const w of ['B1 ', 'B2 ', 'B3']) s.write(ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: w } })); s.write(ev('content_block_stop', { type: 'content_block_stop', index: 0 })); s.write(ev('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 3 } })); s.end(ev('message_stop', { type: 'message_stop' })); };
for (const c of [...streamCases({ sse, chunk, ev, sleep }), ...moreStreamCases({ sse, chunk, ev, sleep }), ...filterCases({ sse, ev, sleep })]) {
  if (only.length && !only.some((o) => c.name.includes(o))) continue;
  const a = await fake('a', c.a);
  const b = await fake('b', c.b ?? (c.api === 'messages' ? cleanMsg : cleanChat));
  const eps = [{ name: 'a', baseUrl: a.url, apiKey: 'k-a', priority: 0, provider: c.provider }];
  if (!c.single) eps.push({ name: 'b', baseUrl: b.url, apiKey: 'k-b', priority: 1, provider: c.provider });
  const g = await gateway({ endpoints: eps, router: { maxAttempts: 4, prices: [{ model: 'm', inputPerMTok: 1000, outputPerMTok: 2000 }, { model: 'claude-x', inputPerMTok: 1000, outputPerMTok: 2000 }], ...(c.router ?? {}) } });
  let text = '', err, hdr, finish, status;
  const t0 = Date.now();
  try {
    if (c.api === 'messages') {
      const { data: stream, response } = await anthropic(g).messages.create({ model: 'claude-x', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
      status = response.status; hdr = Object.fromEntries([...response.headers].filter(([k]) => k.startsWith('x-detour')));
      for await (const e of stream) { if (e.type === 'content_block_delta') text += e.delta.text ?? ''; if (e.type === 'message_delta') finish = e.delta.stop_reason; }
    } else if (c.api === 'raw') {
      const r = await fetch(`${g.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer gk-local-0123456789', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...(c.body ?? {}) }) });
      status = r.status; hdr = Object.fromEntries([...r.headers].filter(([k]) => k.startsWith('x-detour')));
      text = (await r.text()).slice(0, 400);
    } else if (c.api === 'raw-responses') {
      const r = await fetch(`${g.url}/v1/responses`, { method: 'POST', headers: { authorization: 'Bearer gk-local-0123456789', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', input: 'hi' }) });
      status = r.status; hdr = Object.fromEntries([...r.headers].filter(([k]) => k.startsWith('x-detour')));
      text = (await r.text()).slice(0, 300);
    } else if (c.api === 'responses') {
      const { data: stream, response } = await openai(g).responses.create({ model: 'm', input: 'hi', stream: true }).withResponse();
      status = response.status; hdr = Object.fromEntries([...response.headers].filter(([k]) => k.startsWith('x-detour')));
      for await (const e of stream) { if (e.type === 'response.output_text.delta') text += e.delta; if (e.type.startsWith('response.') && e.response?.status) finish = e.type + ':' + e.response.status + (e.response.incomplete_details ? ':' + JSON.stringify(e.response.incomplete_details) : ''); }
    } else {
      const { data: stream, response } = await openai(g).chat.completions.create({ model: 'm', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
      status = response.status; hdr = Object.fromEntries([...response.headers].filter(([k]) => k.startsWith('x-detour')));
      for await (const ch of stream) { text += ch.choices?.[0]?.delta?.content ?? ''; if (ch.choices?.[0]?.finish_reason) finish = ch.choices[0].finish_reason; }
    }
  } catch (e) { err = `${e.constructor?.name}: ${String(e.message).slice(0, 200)}`; status ??= e.status; }
  const ms = Date.now() - t0;
  await sleep(200);
  const st = await g.state();
  const ea = st.endpoints.find((e) => e.name === 'a');
  console.log(`\n## ${c.name}  [expect: ${c.expect}]`);
  console.log(`  fakes: a=${a.count} b=${b.count} took=${ms}ms status=${status} hdr=${JSON.stringify(hdr)}`);
  console.log(`  caller text=${JSON.stringify(text)} finish=${finish} sdkError=${err ?? 'none'}`);
  console.log(`  a.state=${ea.state} breaker=${ea.breaker} reason=${JSON.stringify(ea.reason)} a.spend=${ea.spendUsd} a.wasted=${ea.wastedUsd}`);
  for (const l of g.lines.filter((l) => l.includes('/v1/'))) { const j = JSON.parse(l); console.log(`  log: endpoint=${j.endpoint} attempts=${j.attempts} status=${j.status} cost=${j.costUsd} error=${j.error}`); }
  await g.stop(); a.server.close(); b.server.close();
}
process.exit(0);
