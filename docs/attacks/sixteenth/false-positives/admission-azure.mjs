// Admission at defaults against an Azure-like upstream that sends only x-ratelimit-remaining-* (no limit, no reset),
// and an OpenAI-like one with a small TPM limit; the upstream itself never refuses. Sequential requests, then a burst.
import OpenAI from 'openai';
import { upstream, gateway, GW_KEY, hardStop } from './lib.mjs';
hardStop(80000);
const quiet = { error() {}, warn() {}, info() {}, debug() {} };
const mk = (headersFor) => upstream((req, res, body) => {
  const json = JSON.parse(body);
  res.writeHead(200, { 'content-type': 'application/json', ...headersFor(json) });
  res.end(JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: json.model, choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 1, total_tokens: 11 } }));
});
const scenarios = [
  ['azure remaining-only (remaining-tokens 900, remaining-requests 50)', () => ({ 'x-ratelimit-remaining-requests': '50', 'x-ratelimit-remaining-tokens': '900' })],
  ['openai small TPM (limit 1000, remaining 989, reset 660ms)', () => ({ 'x-ratelimit-limit-requests': '500', 'x-ratelimit-remaining-requests': '499', 'x-ratelimit-reset-requests': '120ms', 'x-ratelimit-limit-tokens': '1000', 'x-ratelimit-remaining-tokens': '989', 'x-ratelimit-reset-tokens': '660ms' })],
];
for (const [label, headersFor] of scenarios) {
  const up = await mk(headersFor);
  const gw = await gateway({ endpoints: [{ name: 'ep', provider: label.startsWith('azure') ? 'azure' : 'openai', baseUrl: `${up.url}/v1`, apiKey: 'sk-test-aaaaBBBB1111cccc2222' }] });
  const c = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: GW_KEY, maxRetries: 0, logger: quiet });
  console.log(label);
  for (const maxTokens of [100, 2000, 2000, 100]) {
    const t0 = Date.now();
    try { await c.chat.completions.create({ model: 'gpt-4o', max_tokens: maxTokens, messages: [{ role: 'user', content: 'hi' }] }); console.log(`  max_tokens ${maxTokens}: 200 in ${Date.now() - t0} ms`); }
    catch (e) { console.log(`  max_tokens ${maxTokens}: ${e.status} in ${Date.now() - t0} ms: ${String(e.message).slice(0, 160)} retry-after=${e.headers?.get?.('retry-after')}`); }
  }
  console.log(`  upstream saw ${up.requests.length} requests`);
  await gw.stop(); await up.close();
}
process.exit(0);
