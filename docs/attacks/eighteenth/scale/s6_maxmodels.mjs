// admission.maxModels (1024 (endpoint, model) pairs by default) at scale: each (endpoint, model) pair upstream allows
// 1 request a minute and says so (remaining 0, reset 60s); a 2nd request in the minute gets 429. E endpoints x 2
// models; send 3 x pairs requests, alternating models. Count upstream 429s (requests admission should have kept back).
import { core, okBody, resp, makeEndpoints } from './lib.mjs';
const enc = new TextEncoder();
for (const [E, maxModels] of [[400, undefined], [600, undefined], [1000, undefined], [1000, 4096]]) {
  const used = new Map(); let ok = 0, r429 = 0;
  const transport = async (req) => {
    const model = JSON.parse(new TextDecoder().decode(req.body)).model; const key = req.endpoint + '|' + model;
    const H = { 'x-ratelimit-limit-requests': '1', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '60s' };
    if (used.has(key)) { r429++; return resp(429, enc.encode('{"error":{"message":"Rate limit reached for requests","type":"requests","code":"rate_limit_exceeded"}}'), { ...H, 'retry-after': '60' }); }
    used.set(key, 1); ok++; return resp(200, okBody(model), H);
  };
  const router = core.createRouter({ endpoints: makeEndpoints(E), admission: maxModels ? { maxModels } : undefined }, { transport });
  const codes = {}; const pairs = E * 2;
  for (let i = 0; i < pairs * 3; i++) {
    const model = i % 2 ? 'model-a' : 'model-b';
    try { await router.send({ path: '/chat/completions', body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) }); codes.ok = (codes.ok ?? 0) + 1; }
    catch (e) { codes[e.code] = (codes[e.code] ?? 0) + 1; }
  }
  console.log(`endpoints=${E} pairs=${pairs} maxModels=${maxModels ?? 'default 1024'}: callers ${JSON.stringify(codes)}; upstream 200s=${ok} 429s=${r429} (429s per pair ${(r429 / pairs).toFixed(2)})`);
}
