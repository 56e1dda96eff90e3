import { upstream, gateway, chatCompletion, postJson } from './lib.mjs';
const u = await upstream((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(chatCompletion())); });
const gw = await gateway({ endpoints: [{ name: 'a', provider: 'openai', baseUrl: `${u.base}/v1`, apiKey: 'sk-proj-Zx9Qw7Lm2Nb5Vc8Tr4Yu6Io1' }] });
const r = await postJson(`${gw.url}/v1/chat/completions`, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
console.log(r.status, [...r.headers], await r.text());
await gw.close(0); u.close();
