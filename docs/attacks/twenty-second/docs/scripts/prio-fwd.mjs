// docs/quota.md 141-142: x-detour-priority is never forwarded upstream (createFetch); other caller headers are (node README 95)
import { createFetch } from '@detour/node';
import { startChaosUpstream } from '@detour/testkit';
const up = await startChaosUpstream({ name: 'p' });
const f = createFetch({ endpoints: [{ name: 'p', baseUrl: up.baseUrl, apiKey: 'sk-p-1234567890ab' }] });
await (await f('https://x/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json', 'x-detour-priority': 'high', 'x-mine': '1', authorization: 'Bearer caller-key-zzz' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [] }) })).text();
const h = up.stats().requests.at(-1).headers; console.log('x-detour-priority upstream:', h['x-detour-priority'], '| x-mine:', h['x-mine'], '| authorization:', h.authorization);
await f.router.close(); await up.close();
