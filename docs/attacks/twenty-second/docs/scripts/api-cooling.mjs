// docs/apis.md 81-83: a 429 on a chat request cools the endpoint for the next Responses request too
import { createFetch } from '@detour/node';
import { startChaosUpstream } from '@detour/testkit';
const a = await startChaosUpstream({ name: 'a' }); const b = await startChaosUpstream({ name: 'b' });
a.setScript([{ when: { path: '/v1/chat/completions' }, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 5000 } }]);
const f = createFetch({ endpoints: [{ name: 'a', baseUrl: a.baseUrl, apiKey: 'sk-a-1234567890ab' }, { name: 'b', baseUrl: b.baseUrl, apiKey: 'sk-b-1234567890ab', priority: 1 }] });
const post = async (path, body) => { const r = await f('https://x/v1' + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }); await r.text(); return `${r.status} ${r.headers.get('x-detour-endpoint')} attempts ${r.headers.get('x-detour-attempts')}`; };
console.log('chat gpt-4.1      ->', await post('/chat/completions', { model: 'gpt-4.1', messages: [] }));
console.log('responses gpt-4.1 ->', await post('/responses', { model: 'gpt-4.1', input: 'x' }));
console.log('responses gpt-4o  ->', await post('/responses', { model: 'gpt-4o', input: 'x' }));
await f.router.close(); await a.close(); await b.close();
