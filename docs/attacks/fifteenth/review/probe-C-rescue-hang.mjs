// C: (1) is a Messages cut mid-answer rescued at all? (2) chat hang after finish_reason vs Messages hang after message_delta.
import { upstream, gateway, createFetch, Anthropic, OpenAI, msgEvents, MSG_STOP, GK } from './lib.mjs';
const E = msgEvents('Hello world.');
let mode;
const chatChunk = (o) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [o] })}\n\n`;
const u = await upstream((req, res, body) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const b = req.url.startsWith('/b/');
  if (req.url.includes('/messages')) {
    if (b) { res.end(msgEvents(' world.').join('') + MSG_STOP); return; }
    if (mode === 'mid') { res.write(E.slice(0, 2).join('') + 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}\n\n'); setTimeout(() => res.socket.resetAndDestroy(), 30); return; }
    res.write(E.join('')); return; // hang
  }
  if (b) { res.end(chatChunk({ index: 0, delta: { content: 'B' }, finish_reason: null }) + chatChunk({ index: 0, delta: {}, finish_reason: 'stop' }) + 'data: [DONE]\n\n'); return; }
  res.write(chatChunk({ index: 0, delta: { role: 'assistant', content: 'Hello' }, finish_reason: null }) + chatChunk({ index: 0, delta: {}, finish_reason: 'stop' })); // hang, no [DONE]
});
const endpoints = (p) => [{ name: 'a', provider: p, baseUrl: `${u.base}/a/v1`, apiKey: 'sk-AAAAaaaa1111bbbb2222' }, { name: 'b', provider: p, baseUrl: `${u.base}/b/v1`, apiKey: 'sk-BBBBcccc3333dddd4444', priority: 1 }];
const runMsg = async (client) => { u.hits.length = 0; const t = Date.now(); let text = ''; try { const s = client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }); s.on('text', (d) => (text += d)); const m = await s.finalMessage(); return `OK text=${JSON.stringify(m.content[0].text)} hits=${u.hits.length} ${Date.now() - t}ms`; } catch (e) { return `THREW ${String(e.message).slice(0, 110)} text=${JSON.stringify(text)} hits=${u.hits.length} ${Date.now() - t}ms`; } };
const runChat = async (client) => { u.hits.length = 0; const t = Date.now(); let text = ''; try { const s = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true }); for await (const c of s) text += c.choices[0]?.delta?.content ?? ''; return `OK text=${JSON.stringify(text)} hits=${u.hits.length} ${Date.now() - t}ms`; } catch (e) { return `THREW ${String(e.message).slice(0, 110)} text=${JSON.stringify(text)} hits=${u.hits.length} ${Date.now() - t}ms`; } };
for (const [label, m, p, run, mk] of [
  ['messages cut mid-answer (reset)', 'mid', 'anthropic', runMsg, (url, k, f) => new Anthropic({ baseURL: url, apiKey: k, fetch: f, maxRetries: 0 })],
  ['messages hang after message_delta', 'hang', 'anthropic', runMsg, (url, k, f) => new Anthropic({ baseURL: url, apiKey: k, fetch: f, maxRetries: 0 })],
  ['chat hang after finish_reason (no [DONE])', 'hang', 'openai', runChat, (url, k, f) => new OpenAI({ baseURL: url, apiKey: k, fetch: f, maxRetries: 0 })],
]) {
  mode = m;
  const gw = await gateway({ endpoints: endpoints(p), router: { streamIdleTimeoutMs: 1500 } });
  console.log(`## ${label}\n  gateway:     ${await run(mk(`${gw.url}/v1`.replace(/\/v1$/, p === 'openai' ? '/v1' : ''), GK))}`);
  const f = createFetch({ endpoints: endpoints(p), streamIdleTimeoutMs: 1500 });
  console.log(`  createFetch: ${await run(mk(p === 'openai' ? `${u.base}/v1` : u.base, 'x', f))}`);
  await gw.close(0);
}
u.close(); process.exit(0);
