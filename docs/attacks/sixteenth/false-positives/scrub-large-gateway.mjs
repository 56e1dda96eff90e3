// Through the gateway: an 8 MB JSON chat answer whose text has URL percent-escapes vs one without; and how long a
// /healthz probe sent meanwhile waits (the scrub runs on the event loop).
import { upstream, gateway, GW_KEY, hardStop } from './lib.mjs';
hardStop(90000);
let escaped = false;
const up = await upstream((req, res, body) => {
  const json = JSON.parse(body);
  const content = escaped ? 'see https://x.y/a%20b?q=%2F '.repeat(8e6 / 28) : 'word '.repeat(1.6e6);
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: json.model, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 2e6, total_tokens: 2e6 + 1 } }));
});
const gw = await gateway({ endpoints: [{ name: 'ep', provider: 'openai', baseUrl: `${up.url}/v1`, apiKey: 'sk-proj-AbCdEfGh0123456789IjKlMnOpQrStUvWx' }] });
for (const e of [false, true, false, true]) {
  escaped = e;
  const t0 = performance.now();
  const req = fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${GW_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }) }).then(async (r) => [r.status, (await r.text()).length]);
  await new Promise((r) => setTimeout(r, 150));
  const h0 = performance.now();
  await fetch(`${gw.url}/healthz`).then((r) => r.text());
  const health = performance.now() - h0;
  const [status, len] = await req;
  console.log(`${e ? 'with %XX ' : 'plain    '} status ${status} ${len} bytes in ${(performance.now() - t0).toFixed(0)} ms; /healthz sent meanwhile took ${health.toFixed(0)} ms`);
}
await gw.stop(); await up.close(); process.exit(0);
