// A caller that pauses reading a short stream (a human-in-the-loop approval after the first tool-call chunk, a slow
// consumer) for PAUSE ms (default 65 s), then reads the rest. The upstream wrote the whole answer at once (it is in
// the socket buffers). Direct (undici fetch) vs createFetch vs gateway, raw fetch readers.
import { upstream, gateway, createFetch, UPKEY, GK, show } from './lib.mjs';

const PAUSE = Number(process.argv[2] ?? 65_000);
const t0 = Date.now();
const at = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const up = await upstream((req, buf, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const c = (rest) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1', ...rest })}\n\n`;
  res.write(c({ choices: [{ index: 0, delta: { role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'delete_files', arguments: '' } }] }, finish_reason: null }] }));
  setTimeout(() => {
    res.write(c({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"path":"/tmp/x"}' } }] }, finish_reason: null }] }));
    res.write(c({ choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] }));
    res.end('data: [DONE]\n\n');
  }, 50);
});
const gw = await gateway([{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }]);
const f = createFetch({ endpoints: [{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }] });
const body = JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'clean up' }], stream: true, stream_options: { include_usage: false } });
const run = async (label, doFetch) => {
  try {
    const r = await doFetch();
    const reader = r.body.getReader();
    const dec = new TextDecoder();
    let text = dec.decode((await reader.read()).value);
    await new Promise((res) => setTimeout(res, PAUSE));
    for (;;) { const { done, value } = await reader.read(); if (done) break; text += dec.decode(value); }
    show(`[${at()}] ${label}`, `ok, ends with [DONE]: ${text.trimEnd().endsWith('[DONE]')}, events ${text.split('\n\n').filter(Boolean).length}`);
  } catch (e) { show(`[${at()}] ${label}`, `THROWS ${e.constructor.name} ${e.message.slice(0, 200)} ${e.cause ? String(e.cause).slice(0, 120) : ''}`); }
};
await Promise.all([
  run('direct', () => fetch(`${up.url}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${UPKEY}`, 'content-type': 'application/json' }, body })),
  run('createFetch', () => f('https://api.openai.com/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body })),
  run('gateway', () => fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${GK}`, 'content-type': 'application/json' }, body })),
]);
await new Promise((r) => setTimeout(r, 100));
show('gateway access log', gw.logs);
await gw.close(0); await f.router.close(); await up.close();
