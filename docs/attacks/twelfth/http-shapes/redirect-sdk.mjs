// Primary answers every request 302 + JSON body (e.g. a moved API host / auth gateway), backup is healthy.
// Through createFetch + openai SDK: does Detour ever fail over?
import { upstream, endpoints, createFetch, OpenAI, backupOk, hardTimeout } from './lib.mjs';
const t = hardTimeout(30000);
const a = await upstream('a', (q, s) => { s.writeHead(302, { 'content-type': 'application/json', location: 'https://api.example.com/v2/chat/completions' }); s.end('{"message":"moved"}'); });
const b = await upstream('b', backupOk);
const fetch = createFetch({ endpoints: endpoints(a, b) });
const events = [];
fetch.router.subscribe?.((e) => events.push(e.type));
const client = new OpenAI({ apiKey: 'x', fetch, maxRetries: 0 });
for (let i = 1; i <= 5; i++) {
  try { await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }); console.log(i, 'ok'); }
  catch (e) { console.log(i, 'threw', e.constructor.name, e.status, String(e.message).slice(0, 60), 'x-detour-endpoint', e.headers?.get?.('x-detour-endpoint')); }
}
console.log('primary hits', a.log.length, 'backup hits', b.log.length);
console.log('health', JSON.stringify(await fetch.router.health?.())?.slice(0, 400));
clearTimeout(t); a.close(); b.close(); process.exit(0);
