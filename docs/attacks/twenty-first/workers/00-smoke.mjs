// Smoke: the Workers gateway in workerd relays a chat completion to a recording upstream.
import { gatewayInWorkerd, gatewayInNode, fakeUpstream, json, watchdog } from './lib.mjs';
watchdog(60000);
const up = await fakeUpstream('A', (rec, req, res) => json(res, 200, { id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
const config = { endpoints: [{ name: 'a', baseUrl: up.url, apiKey: { env: 'KEY_A' } }], gatewayKeys: [{ env: 'GW' }] };
for (const [label, gw] of [['workerd', await gatewayInWorkerd(config, { KEY_A: 'sk-a-secret', GW: 'gw-key' })], ['node', await gatewayInNode(config, { KEY_A: 'sk-a-secret', GW: 'gw-key' })]]) {
  const r = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer gw-key' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) });
  console.log(label, r.status, [...r.headers].filter(([k]) => k.startsWith('x-detour')), (await r.text()).slice(0, 120));
  await gw.close();
}
console.log('upstream saw', up.log.map((r) => [r.method, r.url, r.headers.authorization]));
await up.close();
process.exit(0);
