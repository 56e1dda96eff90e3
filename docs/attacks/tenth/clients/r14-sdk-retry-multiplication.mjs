// openai + anthropic SDKs at their DEFAULT maxRetries against the gateway; upstreams always fail. Count upstream hits.
const NM = '/tmp/attack10b/repo/packages/node/node_modules/';
const { default: OpenAI } = await import(NM + 'openai/index.mjs');
const { default: Anthropic } = await import(NM + '@anthropic-ai/sdk/index.mjs');
import { upstream, gateway, sleep, now } from './lib.mjs';
let status = 500;
const h = async (req, res) => { res.writeHead(status, { 'content-type': 'application/json', ...(status === 429 ? { 'retry-after': '1' } : {}) }); res.end('{"error":{"message":"nope","type":"server_error"}}'); };
const a = await upstream(h), b = await upstream(h);
const gw = await gateway({ endpoints: [{ name: 'a', baseUrl: a.url }, { name: 'b', baseUrl: b.url }, { name: 'ca', provider: 'anthropic', baseUrl: a.url }, { name: 'cb', provider: 'anthropic', baseUrl: b.url }] });
const oai = new OpenAI({ apiKey: 'gk', baseURL: gw.url + '/v1' });
const ant = new Anthropic({ apiKey: 'gk', baseURL: gw.url });
for (const st of [500, 429, 503]) {
  status = st;
  for (const [name, call] of [['openai', () => oai.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] })], ['anthropic', () => ant.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] })]]) {
    const before = a.log.length + b.log.length; const t0 = now();
    try { await call(); } catch (e) { console.log(`upstream ${st} ${name}: SDK threw ${e.constructor.name} ${e.status} x-detour-error=${e.headers?.get?.('x-detour-error') ?? e.headers?.['x-detour-error']} after ${Math.round(now() - t0)} ms; upstream hits ${a.log.length + b.log.length - before}`); }
    await sleep(2500); // let cooldowns pass
  }
}
gw.stop(); a.close(); b.close(); process.exit(0);
