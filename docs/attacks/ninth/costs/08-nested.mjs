// A 200 JSON chat answer whose usage has one deeply nested (5000) extra field: what does the caller get?
import { upstream, json, watchdog, R } from './up.mjs';
const { createFetch } = await import(`${R}/packages/node/dist/index.js`);
watchdog(20000);
const depth = Number(process.argv[2] ?? 5000), where = process.argv[3] ?? 'usage';
const up = await upstream(async (req, body, res) => {
  const nested = '['.repeat(depth) + ']'.repeat(depth); // raw text: no stringify of a deep value in this harness
  const usage = where === 'usage' ? `{"prompt_tokens":10,"completion_tokens":10,"x":${nested}}` : '{"prompt_tokens":10,"completion_tokens":10}';
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(`{"id":"c","object":"chat.completion","model":"${body.model}","choices":[{"index":0,"message":{"role":"assistant","content":"x"},"finish_reason":"stop"}],"usage":${usage}${where === 'usage' ? '' : ',"extra":' + nested}}`);
});
const fetch = createFetch({ endpoints: [{ name: 'a', baseUrl: `${up.url}/v1`, apiKey: 'k' }] });
const ends = []; fetch.router.subscribe((e) => { if (e.type === 'attempt-end') ends.push([e.kind, e.reason]); });
const r = await fetch('http://detour.invalid/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x' }] }) });
const t = await r.text();
console.log('depth', depth, 'in', where, 'status', r.status, 'cost', r.headers.get('x-detour-cost-usd'), 'body', t.slice(0, 300), 'attempts', JSON.stringify(ends));
await up.close(); process.exit(0);
