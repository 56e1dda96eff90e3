// openai SDK (default maxRetries=2) with a short timeout, through createFetch. Scenarios:
// (SC=slowstream only shows the 60 s default streamIdleTimeoutMs; it self-stops at 55 s)
//  hang: upstream never answers;  backoff: upstream 429 Retry-After 5 (Detour waits in-request);  slowstream: stream, first chunk then silence
import OpenAI from '/tmp/attack10b/repo/packages/node/node_modules/openai/index.mjs';
import { createFetch } from '/tmp/attack10b/repo/packages/node/dist/index.js';
import { upstream, chatChunk, sleep, now } from './lib.mjs';
const SC = process.env.SC ?? 'hang';
const up = await upstream(async (req, res, body, e) => {
  if (SC === 'hang') return; // never answer
  if (SC === 'backoff') { res.writeHead(429, { 'retry-after': '5', 'content-type': 'application/json' }); res.end('{"error":{"message":"slow down","type":"rate_limit","code":"rate_limit_exceeded"}}'); return; }
  if (SC === 'slowstream') { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.write(chatChunk('hello')); return; }
});
const fetch = createFetch({ endpoints: [{ name: 'a', baseUrl: up.url, apiKey: 'k' }] });
const events = []; fetch.router.subscribe((ev) => events.push(ev.type));
const client = new OpenAI({ apiKey: 'unused', fetch, timeout: 1000 }); // default maxRetries = 2
const t0 = now();
try {
  if (SC === 'slowstream') {
    const s = await client.chat.completions.create({ model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    for await (const c of s) console.log('chunk', c.choices[0]?.delta?.content, Math.round(now() - t0));
  } else {
    await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] });
  }
  console.log('resolved', Math.round(now() - t0));
} catch (err) { console.log('SDK threw', err.constructor.name, err.status ?? '', String(err.message).slice(0, 150), 'after', Math.round(now() - t0), 'ms'); }
await sleep(1500);
console.log('upstream requests:', up.log.length, up.log.map((e) => `start@${Math.round(e.start - t0)} closed@${e.closed ? Math.round(e.closed - t0) : 'NEVER'}`));
console.log('events:', [...new Set(events)].join(','));
await fetch.router.close?.(); up.close(); process.exit(0);
