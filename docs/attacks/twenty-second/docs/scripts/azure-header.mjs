// packages/node/README.md 92-93: the key goes in apiKeyHeader: `authorization` by default, `x-api-key` for anthropic, `api-key` for Azure
import { createFetch } from '@detour/node';
import { startChaosUpstream } from '@detour/testkit';
const up = await startChaosUpstream({ name: 'az' });
const f = createFetch({ endpoints: [{ name: 'az', baseUrl: up.baseUrl, apiKey: 'azkey-1234567890abcd', provider: 'azure' }] });
const r = await f('https://x/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [] }) });
const h = up.stats().requests.at(-1).headers;
console.log('provider azure, no apiKeyHeader -> authorization:', h.authorization, '| api-key:', h['api-key']);
await f.router.close(); await up.close();
