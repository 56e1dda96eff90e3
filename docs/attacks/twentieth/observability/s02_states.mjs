// /healthz and the state gauges vs what routing actually does at that moment (single endpoint, so every decision
// is visible at the upstream): 429 Retry-After cooldown, 503 overload rest, breaker open/half-open/closed.
import { chaos, gateway, chat, scrape, pick, show, upstreamSummary, cleanup, hardStop, sleep, getJson } from './lib.mjs';
hardStop(90000);
const u = await chaos('solo');
const g = await gateway({ endpoints: [{ name: 'solo', baseUrl: u.baseUrl, apiKey: 'sk-solo-aaaaaaaaaaaaaa' }], router: { deadlineMs: 8000, maxAttempts: 3 } });
const state = async (label) => {
  const h = await getJson(g, '/healthz');
  const e = h.body.endpoints[0];
  const m = await scrape(g);
  const before = u.stats().total;
  const t0 = performance.now();
  const r = await chat(g);
  const sent = u.stats().total - before;
  show(label, { healthz: h.status, available: e.available, breaker: e.breaker, cd: +e.cooldownSeconds.toFixed(2), modelCd: e.modelCooldownSeconds,
    gauges: { breaker: m.get('detour_breaker_state{endpoint="solo"}'), avail: m.get('detour_endpoint_available{endpoint="solo"}'), cd: +(m.get('detour_endpoint_cooldown_seconds{endpoint="solo"}') ?? 0).toFixed(2), modelCd: pick(m, 'detour_model_cooldown_seconds') },
    then_request: { status: r.status, ms: Math.round(r.ms), retryAfter: r.headers['retry-after'], err: r.headers['x-detour-error'], attempts: r.headers['x-detour-attempts'], upstreamSaw: sent } });
};
console.log('=== A: 429 openai retry-after 4 s (first request only)');
u.setScript([{ when: { nth: [1] }, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 4000 } }]);
const r1 = await chat(g);
show('first request', { status: r1.status, ms: Math.round(r1.ms), h: r1.headers, upstream: upstreamSummary(u) });
await state('A t+0');
await sleep(1500); await state('A t+1.5');
await sleep(3000); await state('A t+4.5');

console.log('=== B: 503 overloaded once (soft rest)');
u.setScript([{ when: { nth: [1] }, fault: { type: 'status', status: 503 } }]); u.resetStats();
const r2 = await chat(g);
show('first request', { status: r2.status, ms: Math.round(r2.ms), h: r2.headers, upstream: upstreamSummary(u) });
await state('B t+0');
await sleep(2500); await state('B t+2.5');

console.log('=== C: breaker: every request 500 until told otherwise');
u.setScript([{ fault: { type: 'status', status: 500 } }]); u.resetStats();
g.events.length = 0;
for (let i = 0; i < 3; i++) { const r = await chat(g); show(`500 request ${i + 1}`, { status: r.status, attempts: r.headers['x-detour-attempts'], ms: Math.round(r.ms) }); }
show('upstream', upstreamSummary(u));
show('breaker-change events', g.events.filter((e) => e.type === 'breaker-change').map((e) => `${e.from}->${e.to}`));
await state('C open t+0');
await sleep(5200);
u.setScript([]);
await state('C after openMs (probe ok?)');
await state('C next');
show('breaker-change events', g.events.filter((e) => e.type === 'breaker-change').map((e) => `${e.from}->${e.to}`));
const m = await scrape(g);
show('attempts_total', pick(m, 'detour_attempts_total')); show('requests_total', pick(m, 'detour_requests_total'));
show('upstream total', u.stats().total);
await cleanup();
