// A (under-redaction): a chat stream chunk carrying an "error" object that is not its first key (and no
// finish_reason) is neither read as an error nor scrubbed: the key tail reaches the caller, and the SDK ends cleanly.
// node repro-A-chat-error-not-first.mjs
import { upstream, gateway, createFetch, OpenAI, GK } from './lib.mjs';
const KEY = 'sk-proj-AbCdEfGhn0123456789XyZwVuT';
const u = await upstream((req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.end(`data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}\n\n` +
    `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","error":{"message":"provider rejected key …${KEY.slice(-17)}","code":401},"choices":[]}\n\n`);
});
const endpoints = [{ name: 'a', provider: 'openai', baseUrl: `${u.base}/v1`, apiKey: KEY }];
const gw = await gateway({ endpoints, router: { rescue: 'off' } });
const r = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${GK}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
let raw = ''; try { raw = await r.text(); } catch (e) { raw += `<<${e.message}>>`; }
console.log('gateway raw body:\n' + raw);
console.log('key tail present in caller body:', raw.includes(KEY.slice(-17)));
for (const [label, c] of [['gateway', new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: GK, maxRetries: 0 })], ['createFetch', new OpenAI({ baseURL: `${u.base}/v1`, apiKey: 'x', fetch: createFetch({ endpoints, rescue: 'off' }), maxRetries: 0 })]]) {
  try { let n = 0; for await (const ch of await c.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] })) n++; console.log(`${label} SDK: completed (${n} chunks)`); } catch (e) { console.log(`${label} SDK threw: ${e.constructor.name}: ${String(e.message).slice(0, 200)}`); }
}
await gw.close(0); u.close(); process.exit(0);
