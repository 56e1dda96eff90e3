// Public model name mapped to an upstream model name per endpoint: which name is priced? Upstream answers with a different model field.
import { upstream, json, watchdog, R } from './up.mjs';
const { createFetch } = await import(`${R}/packages/node/dist/index.js`);
watchdog(20000);
const up = await upstream(async (req, body, res) => json(res, { id: 'c', object: 'chat.completion', model: 'gpt-4o-2024-08-06', choices: [{ index: 0, message: { role: 'assistant', content: 'x' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1000, completion_tokens: 1000 } }));
const fetch = createFetch({ endpoints: [{ name: 'a', baseUrl: `${up.url}/v1`, apiKey: 'k', models: { 'fast': 'gpt-4.1-mini', 'gpt-4.1': 'gpt-4.1-nano' } }] });
const recs = []; fetch.router.subscribe((e) => { if (e.type === 'cost-record') recs.push(e); });
for (const model of ['fast', 'gpt-4.1']) {
  recs.length = 0;
  const r = await fetch('http://detour.invalid/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'x' }] }) });
  await r.text();
  console.log(`request model ${model}: upstream got ${up.seen.at(-1).body.model}; header ${r.headers.get('x-detour-cost-usd')} x-detour-model ${r.headers.get('x-detour-model')}; cost-record model ${recs[0]?.model} ${recs[0]?.costUsd}`);
}
console.log('gpt-4.1-mini', (1000*0.4+1000*1.6)/1e6, 'gpt-4.1-nano', (1000*0.1+1000*0.4)/1e6, 'gpt-4.1', (1000*2+1000*8)/1e6);
await fetch.router.close?.(); await up.close(); process.exit(0);
