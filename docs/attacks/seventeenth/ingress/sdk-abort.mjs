// openai SDK: abort a stream after 2 chunks: against the gateway and, as control, against the chaos upstream directly.
import { startChaos, startGateway, hardTimeout } from './harness.mjs';
import OpenAI from '/tmp/attack17b/repo/apps/worker/node_modules/openai/index.mjs';
hardTimeout(40000);
const chaos = await startChaos();
const gw = await startGateway(chaos.url, {}, { args: ['--access-log'] });
const msg = [{ role: 'user', content: 'Hi' }];
for (const [label, baseURL] of [['chaos direct', `${chaos.url}/v1`], ['gateway', `${gw.url}/v1`]]) {
  const client = new OpenAI({ baseURL, apiKey: 'gk-test-key', maxRetries: 0 });
  const ac = new AbortController(); let n = 0; const t0 = Date.now();
  const timer = setTimeout(() => console.log(`${label}: still not settled after 8s (n=${n})`), 8000);
  try {
    const stream = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: msg, stream: true }, { signal: ac.signal });
    for await (const c of stream) { if (++n === 2) ac.abort(); }
    console.log(`${label}: loop ended normally after ${n} chunks, ${Date.now() - t0}ms`);
  } catch (e) { console.log(`${label}: threw ${e.constructor.name} after ${n} chunks, ${Date.now() - t0}ms`); }
  clearTimeout(timer);
}
console.log(gw.child.out);
process.exit(0);
