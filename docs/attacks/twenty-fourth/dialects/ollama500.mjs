// Ollama-style context overflow answered 500 ("prompt too long; exceeded max context length by N tokens"): one
// caller with an oversized prompt, two requests, single endpoint. Does it open the healthy endpoint's breaker?
import { fake, gateway, openai, chatOk, hardExit } from './lib.mjs';
hardExit(60000);
const a = await fake('a', (q, s, n, body) => { if (body.includes('HUGE')) { s.writeHead(500, { 'content-type': 'application/json' }); s.end(JSON.stringify({ error: 'prompt too long; exceeded max context length by 1200 tokens' })); } else { s.writeHead(200, { 'content-type': 'application/json' }); s.end(chatOk()); } });
const g = await gateway({ endpoints: [{ name: 'a', baseUrl: a.url, apiKey: 'ka', provider: 'other' }] });
for (let i = 0; i < 2; i++) { try { await openai(g).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'HUGE prompt' }] }); } catch (e) { console.log('oversized request', i, '->', e.status, 'a count so far', a.count); } }
const st = await g.state(); const ea = st.endpoints[0]; console.log('a.breaker=', ea.breaker, 'state=', ea.state, 'reason=', ea.reason);
try { const r = await openai(g).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'small' }] }).withResponse(); console.log('small request ->', r.response.status); } catch (e) { console.log('small request ->', e.status, String(e.message).slice(0, 120), JSON.stringify(Object.fromEntries([...e.headers].filter(([k]) => k.startsWith('x-detour') || k === 'retry-after')))); }
console.log('a count', a.count);
await g.stop(); process.exit(0);
