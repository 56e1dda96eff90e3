// Repro: a Responses stream cut after its first events. Node gateway: the SDK raises. Worker (workerd via miniflare):
// the body ends with a clean chunked terminator, and the openai SDK's iteration ends quietly with no response.completed.
import OpenAI from '/work/main/apps/worker/node_modules/openai/index.mjs';
import { startAll, GK } from './lib.mjs';
setTimeout(() => { console.log('WATCHDOG'); process.exit(2); }, 60000).unref();
const s = await startAll();
for (const [name, base] of [['node', s.nodeUrl], ['worker', s.workerUrl]]) {
  const client = new OpenAI({ baseURL: base + '/v1', apiKey: GK, maxRetries: 0 });
  // 1. iteration over responses.create({stream:true})
  try {
    const stream = await client.responses.create({ model: 'cut', input: 'hi', stream: true });
    const types = [];
    for await (const ev of stream) types.push(ev.type);
    console.log(name, 'responses.create iteration ENDED QUIETLY, events:', types.join(','));
  } catch (e) { console.log(name, 'responses.create iteration raised:', e.constructor.name, String(e.message).slice(0, 120)); }
  // 2. chat.completions stream
  try {
    const stream = await client.chat.completions.create({ model: 'cut', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    for await (const ch of stream) text += ch.choices[0]?.delta?.content ?? '';
    console.log(name, 'chat stream ENDED QUIETLY, text:', JSON.stringify(text));
  } catch (e) { console.log(name, 'chat stream raised:', e.constructor.name, String(e.message).slice(0, 120)); }
}
await s.stop(); process.exit(0);
