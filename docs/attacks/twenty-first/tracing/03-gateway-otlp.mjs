// 03: the gateway CLI with tracing "otlp" and a traceparent per request: parenting, 50 concurrent, costs vs spans, secrets.
import { OpenAI, upstream, ok, status, stream, sleep, withTimeout } from './lib.mjs';
import { receiver, startGateway } from './gw.mjs';
const rec = await receiver();
const A = await upstream('A', (q, r, n, b) => (b?.model === 'gpt-4.1' && n % 2 === 1 ? status(r, 429, { error: { message: 'Rate limit reached for sk-A-UPSTREAMKEY-0123456789abcdef', code: 'rate_limit_exceeded' } }, { 'retry-after': '0' }) : b?.stream ? stream(r, b.model, { delay: 30, words: 8 }) : setTimeout(() => ok(r, b?.model, { prompt: 1000, completion: 200, cached: 400 }), 5 + Math.random() * 40)));
const B = await upstream('B', (q, r, n, b) => (b?.stream ? stream(r, b.model, { delay: 30, words: 8 }) : setTimeout(() => ok(r, b?.model, { prompt: 1000, completion: 200, cached: 400 }), 5 + Math.random() * 40)));
const GK = 'gk-SECRET-GATEWAY-KEY-0123456789'; const ADMIN = 'adm-SECRET-ADMIN-KEY-0123456789';
const gw = await startGateway({
  endpoints: [{ name: 'A', baseUrl: A.baseUrl, apiKey: 'sk-A-UPSTREAMKEY-0123456789abcdef' }, { name: 'B', baseUrl: B.baseUrl, apiKey: 'sk-B-UPSTREAMKEY-0123456789abcdef', priority: 1 }],
  gatewayKeys: [{ key: GK, name: 'team-a' }], admin: { key: ADMIN }, tracing: 'otlp', router: { cooldown: { rateLimitedMs: 1 } },
}, { OTEL_EXPORTER_OTLP_ENDPOINT: rec.url });
console.log('gateway', gw.url, gw.output().trim().split('\n').slice(-1)[0]);
const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');
const client = new OpenAI({ apiKey: GK, baseURL: `${gw.url}/v1`, maxRetries: 0 });
const PROMPT = 'TOP-SECRET-PROMPT-TEXT please answer';

// 50 concurrent JSON requests, each with its own traceparent; some failover (A 429s every other request it gets).
const sent = [];
await Promise.all(Array.from({ length: 50 }, async (_, i) => {
  const traceId = hex(32), parentId = hex(16);
  const { data, response } = await client.chat.completions.create({ model: i % 5 === 0 ? 'gpt-4.1-mini' : 'gpt-4.1', messages: [{ role: 'user', content: PROMPT }] },
    { headers: { traceparent: `00-${traceId}-${parentId}-01` } }).withResponse();
  sent.push({ i, traceId, parentId, cost: response.headers.get('x-detour-cost-usd'), endpoint: response.headers.get('x-detour-endpoint'), attempts: response.headers.get('x-detour-attempts') });
}));
await sleep(1500);
const upstreamRequests = A.hits.length + B.hits.length;
const byTrace = new Map(); for (const s of rec.spans) { if (!byTrace.has(s.traceId)) byTrace.set(s.traceId, []); byTrace.get(s.traceId).push(s); }
let bad = 0, attemptsTotal = 0, costMismatch = 0; const examples = [];
for (const r of sent) {
  const spans = byTrace.get(r.traceId) ?? [];
  const req = spans.filter((s) => s.kind === 1); const att = spans.filter((s) => s.kind === 3);
  attemptsTotal += att.length;
  const okParent = req.length === 1 && req[0].parent === r.parentId && att.every((a) => a.parent === req[0].spanId);
  if (!okParent) { bad++; if (examples.length < 3) examples.push({ r, spans: spans.map((s) => [s.name, s.kind, s.parent, s.spanId]) }); }
  const spanCost = req[0]?.attrs['detour.cost.usd'];
  if (String(spanCost) !== String(r.cost) && Number(spanCost) !== Number(r.cost)) { costMismatch++; if (examples.length < 6) examples.push({ costHeader: r.cost, spanCost, attempts: r.attempts, reqAttrs: req[0]?.attrs }); }
}
console.log(`50 concurrent: exported spans ${rec.spans.length} in ${byTrace.size} traces; request spans mis-parented/missing: ${bad}; attempt spans ${attemptsTotal} vs upstream requests ${upstreamRequests}; cost header != span cost: ${costMismatch}`);
console.log('headers sample', JSON.stringify(sent.slice(0, 3)));
if (examples.length) console.log('examples', JSON.stringify(examples, null, 1).slice(0, 3000));
// an attempt span and request span sample
const oneTrace = byTrace.get(sent.find((r) => r.attempts === '2')?.traceId);
console.log('sample trace with failover', JSON.stringify(oneTrace?.map((s) => ({ name: s.name, kind: s.kind, status: s.status, attrs: s.attrs, events: s.events?.map((e) => ({ name: e.name, attributes: e.attributes })) })), null, 0));

// /admin/costs vs the sum of span costs
const costs = await (await fetch(`${gw.url}/admin/costs`, { headers: { authorization: `Bearer ${ADMIN}` } })).json();
const spanTotal = rec.spans.filter((s) => s.kind === 1).reduce((a, s) => a + (s.attrs['detour.cost.usd'] ?? 0), 0);
const spanWasted = rec.spans.filter((s) => s.kind === 1).reduce((a, s) => a + (s.attrs['detour.cost.wasted_usd'] ?? 0), 0);
const headerTotal = sent.reduce((a, r) => a + Number(r.cost ?? 0), 0);
console.log(`cost: sum(request span detour.cost.usd)=${spanTotal.toFixed(6)} wasted=${spanWasted.toFixed(6)}; sum(x-detour-cost-usd)=${headerTotal.toFixed(6)}; /admin/costs: ${JSON.stringify(costs).slice(0, 600)}`);

// Secrets scan over everything the collector got.
const all = rec.raw.join('\n');
for (const [label, needle] of [['gateway key', GK], ['admin key', ADMIN], ['upstream key A', 'UPSTREAMKEY'], ['prompt', 'TOP-SECRET-PROMPT'], ['team name (caller label)', 'team-a']]) console.log(`collector payload contains ${label}: ${all.includes(needle)}`);
console.log('gateway exit', await gw.stop(), 'posts', rec.posts);
await rec.close(); await A.close(); await B.close();
