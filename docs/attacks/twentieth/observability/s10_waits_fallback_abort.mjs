// A: single endpoint 429 Retry-After 3 s: /healthz and gauges *during* the request's wait; request duration vs wall.
// B: the caller leaves during that wait: access log, requests_total, retries_total, upstream.
// C: model fallback on context length: access log `model`, x-detour-model, metric labels, cost labels.
import { chaos, gateway, chat, scrape, diff, pick, show, upstreamSummary, cleanup, hardStop, sleep, getJson } from './lib.mjs';
hardStop(90000);
const u = await chaos('solo', { contextWindows: { 'gpt-4.1-mini': 5 } });
const g = await gateway({ endpoints: [{ name: 'solo', baseUrl: u.baseUrl, apiKey: 'sk-solo-aaaaaaaaaaaaaa', models: ['gpt-4.1-mini', 'gpt-4.1'] }],
  router: { deadlineMs: 10000, fallbacks: { 'gpt-4.1-mini': { contextLength: 'gpt-4.1' } } } });
const M = ['detour_requests_total', 'detour_attempts_total', 'detour_retries_total', 'detour_model_fallbacks_total', 'detour_cost_usd_total', 'detour_tokens_total', 'detour_request_duration_seconds_sum'];
console.log('=== A: 429 Retry-After 3 s, one endpoint; look during the wait');
u.setScript([{ when: { nth: [1] }, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 3000 } }]);
g.log.length = 0;
let m0 = await scrape(g);
const pending = chat(g, { model: 'gpt-4.1' });
await sleep(1000);
const h = await getJson(g, '/healthz'); const mid = await scrape(g);
show('during wait healthz', { status: h.status, avail: h.body.endpoints[0].available, cd: h.body.endpoints[0].cooldownSeconds, mcd: h.body.endpoints[0].modelCooldownSeconds });
show('during wait gauges', { avail: pick(mid, 'detour_endpoint_available'), mcd: pick(mid, 'detour_model_cooldown_seconds') });
const r = await pending;
await sleep(200);
let m1 = await scrape(g);
show('client', { status: r.status, attempts: r.headers['x-detour-attempts'], wallMs: Math.round(r.ms) });
show('access log', g.log.filter((l) => l.route.startsWith('/v1')));
for (const n of M) show(n, diff(m0, m1, n));

console.log('=== B: the caller leaves 1 s into the wait');
u.setScript([{ when: { nth: [1] }, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 3000 } }]); u.resetStats();
g.log.length = 0; m0 = await scrape(g);
const ac = new AbortController(); setTimeout(() => ac.abort(), 1000);
const t0 = performance.now();
await chat(g, { model: 'gpt-4.1' }, { signal: ac.signal }).catch((e) => show('client', { aborted: e.name, ms: Math.round(performance.now() - t0) }));
await sleep(2500);
m1 = await scrape(g);
show('upstream', upstreamSummary(u));
show('access log', g.log.filter((l) => l.route.startsWith('/v1')));
for (const n of M) show(n, diff(m0, m1, n));

console.log('=== C: context-length fallback gpt-4.1-mini -> gpt-4.1');
u.setScript([]); u.resetStats(); g.log.length = 0; g.events.length = 0; m0 = await scrape(g);
const rc = await chat(g, { model: 'gpt-4.1-mini' });
await sleep(200); m1 = await scrape(g);
show('upstream', { ...upstreamSummary(u), models: u.stats().requests.map((q) => q.model) });
show('client', { status: rc.status, headers: rc.headers });
show('access log', g.log.filter((l) => l.route.startsWith('/v1')));
for (const n of M) show(n, diff(m0, m1, n));
await cleanup();
