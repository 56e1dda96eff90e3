// docs/apis.md 100-134: stored responses pinned to their storage; unknown ids looked up; 404 response_not_found; dialect routing of /models
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { createFetch } from '@detour/node';
import { startChaosUpstream } from '@detour/testkit';
const a = await startChaosUpstream({ name: 'a' }); const b = await startChaosUpstream({ name: 'b' }); const c = await startChaosUpstream({ name: 'c' });
const fetch = createFetch({ endpoints: [
  { name: 'a', baseUrl: a.baseUrl, apiKey: 'sk-a-1234567890ab', priority: 0 },
  { name: 'b', baseUrl: b.baseUrl, apiKey: 'sk-b-1234567890ab', priority: 1 },
  { name: 'claude', baseUrl: c.url + '/v1', apiKey: 'sk-ant-1234567890', provider: 'anthropic' } ] });
const client = new OpenAI({ apiKey: 'unused', fetch, maxRetries: 0 });
const r1 = await client.responses.create({ model: 'gpt-4.1', input: 'Hi' });
console.log('first served, id', r1.id);
a.setScript([{ fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 10000 } }]);
const cont = await client.responses.create({ model: 'gpt-4.1', input: 'more', previous_response_id: r1.id }).withResponse().then((x) => `served by ${x.response.headers.get('x-detour-endpoint')}`, (e) => `${e.status} ${e.error?.code ?? e.message}`);
console.log('continuation while holder 429s:', cont, '| b saw /v1/responses:', b.stats().byPath['/v1/responses'] ?? 0);
const unknown = await fetch('https://x/v1/responses/resp_doesnotexist', { headers: {} });
console.log('unknown id:', unknown.status, unknown.headers.get('x-detour-error'), (await unknown.text()).slice(0, 120));
const long = await fetch('https://x/v1/responses/' + 'r'.repeat(300));
console.log('id > 256 chars:', long.status, long.headers.get('x-detour-error'));
a.setScript([]);
await new Promise((r) => setTimeout(r, 100));
const models = await client.models.list(); console.log('openai models.list ->', a.stats().byPath['/v1/models'] ?? 0, b.stats().byPath['/v1/models'] ?? 0, c.stats().byPath['/v1/models'] ?? 0, '(a,b,claude)');
const claude = new Anthropic({ apiKey: 'unused', fetch, maxRetries: 0 });
await claude.models.list().catch((e) => console.log('claude models err', e.status));
console.log('after anthropic models.list ->', a.stats().byPath['/v1/models'] ?? 0, b.stats().byPath['/v1/models'] ?? 0, c.stats().byPath['/v1/models'] ?? 0);
await fetch.router.close(); for (const u of [a, b, c]) await u.close();
