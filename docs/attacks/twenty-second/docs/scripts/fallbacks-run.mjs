// docs/fallbacks.md 9-52: fallbacks with testkit contextWindows (chaos upstreams stand in for openai/azure/gemini)
import { createRouter, createFetch } from '@detour/node';
import { startChaosUpstream } from '@detour/testkit';
const openai = await startChaosUpstream({ name: 'openai', contextWindows: { 'gpt-4.1-mini': 5 } });
const azure = await startChaosUpstream({ name: 'azure' });
const gemini = await startChaosUpstream({ name: 'gemini' });
const options = {
  endpoints: [
    { name: 'openai', baseUrl: openai.baseUrl, apiKey: 'sk-aaaaaaaaaaaaa', models: ['gpt-4.1-mini', 'gpt-4.1'] },
    { name: 'azure', baseUrl: azure.baseUrl, apiKey: 'azkey-aaaaaaaaaa', apiKeyHeader: 'api-key',
      models: { 'gpt-4.1': 'my-gpt41-deployment' }, priority: 1 },
    { name: 'gemini', baseUrl: gemini.baseUrl, apiKey: 'gm-aaaaaaaaaaaa', models: ['gemini-2.5-pro'], provider: 'gemini' },
  ],
  fallbacks: {
    'gpt-4.1-mini': { contextLength: 'gpt-4.1', contentPolicy: 'gemini-2.5-pro' },
    'gpt-4.1': { contextLength: 'gemini-2.5-pro' },
  },
};
const router = createRouter(options);
router.subscribe((e) => { if (e.type === 'model-fallback') console.log('event', JSON.stringify(e)); });
const long = 'x'.repeat(400);
const r = await router.send({ path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: long }] }) });
console.log('RouteResult keys:', Object.keys(r).join(','));
console.log('status', r.status, 'model', r.model, 'endpoint', r.endpoint, 'attempts', r.attempts?.length ?? r.attempts);
const f = createFetch(options);
const res = await f('https://x/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: long }] }) });
const body = await res.json();
console.log('fetch:', res.status, 'x-detour-model', res.headers.get('x-detour-model'), 'x-detour-attempts', res.headers.get('x-detour-attempts'), 'x-detour-endpoint', res.headers.get('x-detour-endpoint'), 'body.model', body.model);
// Validation claims
const tryOpt = (label, fb) => { try { createRouter({ endpoints: [{ name: 'a', baseUrl: openai.baseUrl, models: ['small', 'big'] }], fallbacks: fb }); console.log(label, '-> accepted'); } catch (e) { console.log(label, '->', e.name, e.message.replace(/\n/g, ' | ')); } };
tryOpt('loop', { small: { contextLength: 'big' }, big: { contextLength: 'small' } });
tryOpt('self', { small: { contextLength: 'small' } });
tryOpt('unserved source', { nope: { contextLength: 'big' } });
tryOpt('unserved target', { small: { contextLength: 'nope' } });
tryOpt('neither field', { small: {} });
tryOpt('unknown field', { small: { contextLength: 'big', rateLimit: 'big' } });
await router.close(); await f.router.close(); for (const u of [openai, azure, gemini]) await u.close();
