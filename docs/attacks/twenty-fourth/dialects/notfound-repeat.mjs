// OpenAI 404 model_not_found on endpoint a (its account lacks the model), b serves it. Five sequential requests:
// is a asked every time (no memory of a per-model 404)?
import { fake, gateway, openai, chatOk, hardExit } from './lib.mjs';
hardExit(60000);
const a = await fake('a', (q, s) => { s.writeHead(404, { 'content-type': 'application/json' }); s.end(JSON.stringify({ error: { message: 'The model `gpt-5` does not exist or you do not have access to it.', type: 'invalid_request_error', param: null, code: 'model_not_found' } })); });
const b = await fake('b', (q, s) => { s.writeHead(200, { 'content-type': 'application/json' }); s.end(chatOk()); });
const g = await gateway({ endpoints: [{ name: 'a', baseUrl: a.url, apiKey: 'ka', provider: 'openai', priority: 0 }, { name: 'b', baseUrl: b.url, apiKey: 'kb', provider: 'openai', priority: 1 }] });
for (let i = 0; i < 5; i++) await openai(g).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
console.log(`5 requests: a=${a.count} b=${b.count}`);
await g.stop(); process.exit(0);
