// A: a redaction that starts on the letter of a JSON escape (\n, \t, \r, \b, \f, \u) leaves a lone backslash before
// "[redacted]": the relayed error body is no longer valid JSON. Happens when an upstream quotes a key's tail after a
// newline or tab and the key's character before that tail is n/t/r/b/f/u (about 1 in 10 keys for a given cut).
// node repro-A-json-break.mjs
import { upstream, gateway, OpenAI, Anthropic, GK } from './lib.mjs';
import { createSecretScrubber } from '/tmp/a15-review/packages/core/dist/index.js';
const KEY = 'sk-proj-AbCdEfGhn0123456789XyZwVuT';       // 'n' right before the quoted tail
const TAIL = KEY.slice(KEY.indexOf('n0') + 1);          // "0123456789XyZwVuT"
const body = JSON.stringify({ error: { message: `Incorrect API key provided:\n${TAIL}`, type: 'invalid_request_error', code: 'invalid_api_key' } });
const scrubbed = createSecretScrubber([KEY])(body);
console.log('upstream body :', body);
console.log('scrubbed body :', scrubbed);
try { JSON.parse(scrubbed); console.log('scrubbed parses: yes'); } catch (e) { console.log('scrubbed parses: NO,', e.message); }
const u = await upstream((req, res) => { res.writeHead(400, { 'content-type': 'application/json' }); res.end(req.url.includes('/messages') ? JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: `invalid x-api-key:\n${TAIL}` } }) : body); });
for (const p of ['openai', 'anthropic']) {
  const gw = await gateway({ endpoints: [{ name: 'a', provider: p, baseUrl: `${u.base}/v1`, apiKey: KEY }] });
  const path = p === 'openai' ? '/v1/chat/completions' : '/v1/messages';
  const r = await fetch(gw.url + path, { method: 'POST', headers: { authorization: `Bearer ${GK}`, 'x-api-key': GK, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }) });
  const t = await r.text(); let ok = true; try { JSON.parse(t); } catch { ok = false; }
  console.log(`[gateway ${p}] ${r.status} ${r.headers.get('content-type')} valid JSON=${ok}: ${t}`);
  try {
    if (p === 'openai') await new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: GK, maxRetries: 0 }).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    else await new Anthropic({ baseURL: gw.url, apiKey: GK, maxRetries: 0 }).messages.create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
  } catch (e) { console.log(`[gateway ${p}] SDK error: ${e.constructor.name} status=${e.status} error=${JSON.stringify(e.error)?.slice(0, 160)}`); }
  await gw.close(0);
}
u.close(); process.exit(0);
