// Upstream sends the terminal event, then keeps the connection open (silent). Does the caller get its complete answer, and how fast?
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { startRaw, createFetch, startGateway, hardTimeout, sleep } from './lib.mjs';
import { textEvents, sseLine, respObj } from './resp_sse.mjs';
import { msgEvents, sse } from './msg_sse.mjs';
hardTimeout(60000);
const up = await startRaw('U', async (ctx) => {
  ctx.sse();
  if (ctx.req.url.includes('/responses')) {
    for (const [e, d] of textEvents('resp_1')) { if (e === 'TERMINAL') { ctx.write(sseLine('response.completed', { type: 'response.completed', sequence_number: d, response: respObj('resp_1', 'completed', [{ type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Héllo wörld 😀 done.', annotations: [] }] }]) })); break; } ctx.write(sseLine(e, d)); await sleep(3); }
  } else if (ctx.req.url.includes('/messages')) {
    for (const [e, d] of msgEvents('msg_1', [{ type: 'text', text: 'All good here.' }])) { ctx.write(sse(e, d)); await sleep(3); }
  } else {
    ctx.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: 'hi' }, finish_reason: null }] })}\n\n`);
    await sleep(3);
    ctx.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`);
  }
  // never end: linger (until client closes)
});
const endpoints = [{ name: 'U', baseUrl: up.baseUrl, apiKey: 'k', apis: ['chat', 'responses', 'messages'] }];
for (const via of ['cf', 'gw']) {
  let oc, ac, stop;
  if (via === 'gw') { const gw = await startGateway({ endpoints, router: { streamIdleTimeoutMs: 2000 } }, 't14'); oc = new OpenAI({ apiKey: gw.key, baseURL: gw.baseUrl, maxRetries: 0, timeout: 20000 }); ac = new Anthropic({ apiKey: gw.key, baseURL: gw.url, maxRetries: 0, timeout: 20000 }); stop = () => gw.stop(); }
  else { const f = createFetch({ endpoints, streamIdleTimeoutMs: 2000 }); oc = new OpenAI({ apiKey: 'x', fetch: f, maxRetries: 0, timeout: 20000 }); ac = new Anthropic({ apiKey: 'x', fetch: f, maxRetries: 0, timeout: 20000 }); stop = () => f.router.close?.(); }
  const cases = {
    responses: async () => { const r = await oc.responses.stream({ model: 'm', input: 'x' }).finalResponse(); return `status=${r.status} text=${r.output_text}`; },
    responses_iter: async () => { let last; for await (const ev of await oc.responses.create({ model: 'm', input: 'x', stream: true })) last = ev.type; return 'last=' + last; },
    messages: async () => { const m = await ac.messages.stream({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).finalMessage(); return `text=${m.content[0].text}`; },
    chat: async () => { let t = ''; for await (const ch of await oc.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true })) t += ch.choices[0]?.delta?.content ?? ''; return 'text=' + t; },
  };
  for (const [k, fn] of Object.entries(cases)) {
    const t0 = Date.now(); let r;
    try { r = await fn(); } catch (e) { r = `threw ${e.constructor.name}: ${String(e.message).slice(0, 140)}`; }
    await sleep(100);
    console.log(`[${via}] ${k}: ${Date.now() - t0 - 100} ms => ${r}; upstream responses still open: ${up.open}`);
  }
  await stop();
}
await up.close(); process.exit(0);
