// docs/pricing.md 106-203: table version, exports, override snippet (171-182), validation message
import * as node from '@detour/node';
import { createFetch } from '@detour/node';
import { startChaosUpstream } from '@detour/testkit';
console.log('priceTableVersion', node.priceTableVersion, 'defaultPriceTable exported:', typeof node.defaultPriceTable, Array.isArray(node.defaultPriceTable) ? node.defaultPriceTable.length : Object.keys(node.defaultPriceTable ?? {}).length);
const up = await startChaosUpstream({ name: 'p' });
const fetch = createFetch({
  endpoints: [{ name: 'p', baseUrl: up.baseUrl, apiKey: 'sk-p-1234567890' }],
  prices: [
    { model: 'gpt-4.1', inputPerMTok: 1.6, cachedInputPerMTok: 0.4, outputPerMTok: 6.4, source: 'contract 2026-11', date: '2026-11-01' },
    { model: 'claude-opus-4-6', inputPerMTok: 5, cachedInputPerMTok: 0.5, cacheWrite5mPerMTok: 6.25, cacheWrite1hPerMTok: 10, outputPerMTok: 25 },
    { model: 'my-reasoner', inputPerMTok: 0.5, outputPerMTok: 1.5, reasoningPerMTok: 3 },
  ],
});
const costs = [];
fetch.router.subscribe((e) => { if (e.type === 'cost-record') costs.push(e); });
for (const model of ['gpt-4.1', 'openai/gpt-4.1', 'gpt-5.1-2025-11-13', 'o3-mini', 'claude-sonnet-4-6', 'unknown-model-x']) {
  const r = await fetch('https://x/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hello there' }] }) });
  await r.text();
  console.log(model.padEnd(22), 'x-detour-cost-usd', r.headers.get('x-detour-cost-usd'));
}
console.log('cost-record fields', Object.keys(costs[0] ?? {}).join(','));
try { createFetch({ endpoints: [{ name: 'p', baseUrl: up.baseUrl }], prices: [{ model: 'a', inputPerMTok: 1, outputPerMTok: 1 }, { model: 'b', inputPerMTok: 1, outputPerMTok: 1, cacheWrite1hPerMTok: -1 }] }); } catch (e) { console.log('validation:', e.message.replace(/\n/g, ' | ')); }
try { createFetch({ endpoints: [{ name: 'p', baseUrl: up.baseUrl }], prices: [{ model: 'a', inputPerMTok: 1, outputPerMTok: 1, date: '2026-13-01' }] }); } catch (e) { console.log('validation:', e.message.replace(/\n/g, ' | ')); }
await fetch.router.close(); await up.close();
