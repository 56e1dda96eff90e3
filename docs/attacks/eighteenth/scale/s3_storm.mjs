// All N endpoints fail at once (429 with Retry-After, 500, 503): per caller request, how many upstream attempts,
// how many distinct keys are hit, time to an answer. Fake transport with 2 ms latency, 300 callers, 20 concurrent.
import { core, okBody, makeEndpoints, pct, hr } from './lib.mjs';
const enc = new TextEncoder();
const reqBody = JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] });
const faults = {
  '429-ra1': () => ({ status: 429, headers: { 'content-type': 'application/json', 'retry-after': '1' }, body: enc.encode('{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}') }),
  '429-none': () => ({ status: 429, headers: { 'content-type': 'application/json' }, body: enc.encode('{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}') }),
  '500': () => ({ status: 500, headers: { 'content-type': 'application/json' }, body: enc.encode('{"error":{"message":"server error","type":"server_error"}}') }),
  '503': () => ({ status: 503, headers: { 'content-type': 'application/json' }, body: enc.encode('{"error":{"message":"overloaded"}}') }),
};
for (const fault of Object.keys(faults)) for (const n of [1, 50, 200, 1000]) {
  let calls = 0; const hit = new Set();
  const transport = async (req) => { calls++; hit.add(req.endpoint); await new Promise((r) => setTimeout(r, 2)); const f = faults[fault](); return { ...f, headersLowerCase: true, body: (async function* () { yield f.body; })(), cancel() {} }; };
  const router = core.createRouter({ endpoints: makeEndpoints(n), deadlineMs: 20000 }, { transport });
  const codes = {}; const lat = []; const attempts = [];
  const t0 = hr(); let i = 0;
  await Promise.all(Array.from({ length: 20 }, async () => { while (i < 300) { i++; const a = hr();
    try { const r = await router.send({ path: '/chat/completions', body: reqBody }); codes['ok'] = (codes.ok ?? 0) + 1; attempts.push(r.attempts.length); }
    catch (e) { codes[e.code] = (codes[e.code] ?? 0) + 1; attempts.push(e.attempts?.length ?? 0); }
    lat.push(hr() - a); } }));
  console.log(`${fault.padEnd(8)} n=${String(n).padStart(4)}: ${JSON.stringify(codes)} upstream calls=${calls} (${(calls / 300).toFixed(2)}/req) distinct keys hit=${hit.size} attempts/req p50=${pct(attempts, .5)} max=${Math.max(...attempts)} latency p50=${pct(lat, .5).toFixed(1)}ms p99=${pct(lat, .99).toFixed(1)}ms wall=${(hr() - t0).toFixed(0)}ms`);
}
