// One app-lifetime AbortSignal shared by 30 concurrent calls (streams in flight): warnings and listener counts,
// Detour's fetch against Node's own fetch.
import { getEventListeners } from 'node:events';
import { createFetch } from '@detour/node';
import { spawnUpstream } from './lib.mjs';
const A = await spawnUpstream('A', { completionTokens: 10, script: [{ when: { model: 'slow' }, fault: { type: 'slow-body', chunkDelayMs: 100 } }] }, 100);
const warnings = [];
process.on('warning', (w) => warnings.push(`${w.name}: ${w.message.slice(0, 120)}`));
const detour = createFetch({ endpoints: [{ name: 'a', baseUrl: A.baseUrl, apiKey: 'k' }] });
const body = JSON.stringify({ model: 'slow', messages: [{ role: 'user', content: 'hi' }], stream: true });
for (const [name, f] of [['node fetch', globalThis.fetch], ['detour fetch', detour]]) {
  warnings.length = 0;
  const life = new AbortController();
  let peak = 0;
  const one = async () => { const r = await f(`${A.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: life.signal }); peak = Math.max(peak, getEventListeners(life.signal, 'abort').length); await r.text(); };
  await Promise.all(Array.from({ length: 30 }, one));
  await new Promise((r) => setTimeout(r, 100));
  console.log(`${name.padEnd(12)}: 30 concurrent streams on one signal: peak ${peak} abort listeners, ${getEventListeners(life.signal, 'abort').length} after; warnings: ${warnings.join(' | ') || 'none'}`);
}
A.kill(); process.exit(0);
