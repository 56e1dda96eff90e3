// Abort mid-stream through createFetch with three SDKs; measure how fast the upstream sees the close.
const NM = '/tmp/attack10b/repo/packages/node/node_modules/';
const { default: OpenAI } = await import(NM + 'openai/index.mjs');
const { default: Anthropic } = await import(NM + '@anthropic-ai/sdk/index.mjs');
const { streamText } = await import(NM + 'ai/dist/index.mjs');
const { createOpenAI } = await import(NM + '@ai-sdk/openai/dist/index.mjs');
import { createFetch } from '/tmp/attack10b/repo/packages/node/dist/index.js';
import { upstream, chatChunk, sleep, now } from './lib.mjs';
const anth = (type, data) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
const up = await upstream(async (req, res, body, e) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const messages = req.url.includes('/messages');
  if (messages) res.write(anth('message_start', { message: { id: 'm', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, usage: { input_tokens: 3, output_tokens: 1 } } }) + anth('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }));
  for (let i = 0; i < 300 && !res.destroyed; i++) {
    res.write(messages ? anth('content_block_delta', { index: 0, delta: { type: 'text_delta', text: `t${i} ` } }) : chatChunk(`t${i} `));
    await sleep(50);
  }
  res.end();
});
const fetch = createFetch({ endpoints: [{ name: 'oai', baseUrl: up.url, apiKey: 'k' }, { name: 'ant', provider: 'anthropic', baseUrl: up.url, apiKey: 'k' }] });
const events = []; fetch.router.subscribe((ev) => events.push(ev));
const report = async (label, tAbort) => { await sleep(600); const e = up.log.at(-1); console.log(label, 'upstream closed', e.closed ? Math.round(e.closed - tAbort) + ' ms after abort' : 'NEVER (still open 600ms after abort)', 'reqs', up.log.length); };
// 1. openai SDK, abort via controller mid-iteration
{ const ac = new AbortController(); const c = new OpenAI({ apiKey: 'x', fetch });
  const s = await c.chat.completions.create({ model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] }, { signal: ac.signal });
  let n = 0, tA; try { for await (const ch of s) { if (++n === 5) { tA = now(); ac.abort(); } } console.log('openai: loop ended cleanly'); } catch (err) { console.log('openai threw', err.constructor.name); }
  await report('openai abort:', tA); }
// 2. openai SDK, consumer breaks out of the loop (no abort)
{ const c = new OpenAI({ apiKey: 'x', fetch });
  const s = await c.chat.completions.create({ model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] });
  let n = 0, tA; for await (const ch of s) { if (++n === 5) { tA = now(); break; } }
  await report('openai break:', tA); }
// 3. anthropic messages.stream().abort()
{ const c = new Anthropic({ apiKey: 'x', fetch }); let tA;
  const st = c.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
  let n = 0; st.on('text', () => { if (++n === 5) { tA = now(); st.abort(); } });
  try { await st.finalMessage(); console.log('anthropic finalMessage resolved?!'); } catch (err) { console.log('anthropic rejected', err.constructor.name); }
  await report('anthropic abort:', tA); }
// 4. Vercel streamText with abortSignal
{ const ac = new AbortController(); const p = createOpenAI({ apiKey: 'x', fetch }); let tA;
  const r = streamText({ model: p.chat('gpt-4.1-mini'), prompt: 'hi', abortSignal: ac.signal, maxRetries: 0 });
  let n = 0; try { for await (const t of r.textStream) { if (++n === 5) { tA = now(); ac.abort(); } } console.log('ai: textStream ended', n); } catch (err) { console.log('ai threw', err.name); }
  await report('ai streamText abort:', tA); }
const ends = events.filter((e) => e.type === 'request-end'); console.log('request-end outcomes:', ends.map((e) => e.outcome ?? e.error?.code ?? JSON.stringify(e).slice(0, 120)));
up.close(); process.exit(0);
