// createFetch called the ways fetch can be called: (string, init), (URL, init), (Request), (Request, init), headers
// as Headers / array pairs / plain object, body as string / Uint8Array / ArrayBuffer / Blob / URLSearchParams / ReadableStream.
import { upstream, createFetch, json, UPKEY, show } from './lib.mjs';
const up = await upstream((req, buf, res) => json(res, 200, { id: 'c', object: 'chat.completion', created: 1, model: 'gpt-4.1', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
const f = createFetch({ endpoints: [{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }] });
const url = 'https://api.openai.com/v1/chat/completions';
const body = JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'é' }] });
const bytes = new TextEncoder().encode(body);
const cases = {
  'string,init': () => f(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-custom': '1' }, body }),
  'URL,init': () => f(new URL(url), { method: 'POST', headers: { 'content-type': 'application/json', 'x-custom': '1' }, body }),
  'Request': () => f(new Request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-custom': '1' }, body })),
  'Request,init(headers)': () => f(new Request(url, { method: 'POST', body }), { headers: { 'content-type': 'application/json', 'x-custom': '1' } }),
  'Headers instance': () => f(url, { method: 'POST', headers: new Headers({ 'content-type': 'application/json', 'x-custom': '1' }), body }),
  'header pairs': () => f(url, { method: 'POST', headers: [['content-type', 'application/json'], ['x-custom', '1']], body }),
  'Uint8Array body': () => f(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-custom': '1' }, body: bytes }),
  'ArrayBuffer body': () => f(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-custom': '1' }, body: bytes.buffer }),
  'Blob body': () => f(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-custom': '1' }, body: new Blob([body]) }),
  'ReadableStream body': () => f(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-custom': '1' }, body: new Blob([body]).stream(), duplex: 'half' }),
};
for (const [name, call] of Object.entries(cases)) {
  const n = up.seen.length;
  try {
    const r = await call();
    await r.text();
    const s = up.seen.at(-1);
    show(name, up.seen.length > n ? `status=${r.status} body same=${s.body === body} x-custom=${s.headers['x-custom']} ctype=${s.headers['content-type']} cost=${r.headers.get('x-detour-cost-usd')}` : `status=${r.status} nothing upstream`);
  } catch (e) { show(name, `THROWS ${e.constructor.name} ${e.message.slice(0, 150)}`); }
}
await f.router.close(); await up.close();
