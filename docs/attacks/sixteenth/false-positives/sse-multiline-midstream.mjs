// Multi-line data arriving after the stream committed: the caller's answer is cut mid-way (direct SDK reads it whole).
import OpenAI from 'openai';
import { upstream, gateway, GW_KEY, hardStop } from './lib.mjs';
hardStop(60000);
const quiet = { error() {}, warn() {}, info() {}, debug() {} };
const chunk = (content, finish = null) => ({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }] });
const ml = (o) => JSON.stringify(o, null, 2).split('\n').map((l) => `data: ${l}`).join('\n') + '\n\n';
const up = await upstream(async (req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(`data: ${JSON.stringify(chunk('Hel'))}\n\n`);
  await new Promise((r) => setTimeout(r, 300));
  res.write(ml(chunk('lo')));
  res.end(ml(chunk(null, 'stop')) + 'data: [DONE]\n\n');
});
const gw = await gateway({ endpoints: [{ name: 'oai', baseUrl: `${up.url}/v1`, apiKey: 'sk-test-aaaaBBBB1111cccc2222', provider: 'other' }], router: { maxAttempts: 1 } });
for (const [l, c] of Object.entries({ direct: new OpenAI({ baseURL: `${up.url}/v1`, apiKey: 'x', maxRetries: 0, logger: quiet }), gateway: new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: GW_KEY, maxRetries: 0, logger: quiet }) })) {
  let t = '';
  try { for await (const x of await c.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true })) t += x.choices?.[0]?.delta?.content ?? ''; console.log(l, 'ok', JSON.stringify(t)); } catch (e) { console.log(l, 'ERROR after', JSON.stringify(t), e.constructor.name, String(e.message).slice(0, 120)); }
}
await gw.stop(); await up.close(); process.exit(0);
