// /healthz (and detour_endpoint_available) against what routing does in the same instant.
// A: every endpoint answered one 503 (overload "rest"): healthz says unavailable; is a request refused?
// B: breaker half-open with its one probe in flight (slow): healthz says available; is a second request served?
import { chaos, gateway, chat, scrape, pick, show, cleanup, hardStop, sleep, getJson } from './lib.mjs';
hardStop(90000);
const p = await chaos('primary');
const b = await chaos('backup');
const g = await gateway({ endpoints: [
  { name: 'primary', baseUrl: p.baseUrl, apiKey: 'sk-primary-aaaaaaaaaaaa', priority: 0 },
  { name: 'backup', baseUrl: b.baseUrl, apiKey: 'sk-backup-bbbbbbbbbbbb', priority: 1 },
], router: { maxAttempts: 2 } });
const look = async (label) => {
  const h = await getJson(g, '/healthz');
  const m = await scrape(g);
  show(label + ' healthz', { status: h.status, body: h.body.status, eps: h.body.endpoints.map((e) => `${e.name}:avail=${e.available},breaker=${e.breaker},cd=${e.cooldownSeconds.toFixed(2)}`) });
  show(label + ' gauge', pick(m, 'detour_endpoint_available'));
};
console.log('=== A: one 503 from each endpoint');
p.setScript([{ when: { nth: [1] }, fault: { type: 'status', status: 503 } }]);
b.setScript([{ when: { nth: [1] }, fault: { type: 'status', status: 503 } }]);
const r0 = await chat(g); show('the 503 request', { status: r0.status, attempts: r0.headers['x-detour-attempts'] });
await look('A');
const before = p.stats().total + b.stats().total;
const r1 = await chat(g); show('request at once', { status: r1.status, endpoint: r1.headers['x-detour-endpoint'], ms: Math.round(r1.ms), upstreamSaw: p.stats().total + b.stats().total - before });
await look('A after it');
await sleep(2200);

console.log('=== B: single endpoint, breaker half-open, probe in flight');
const s = await chaos('solo');
const g2 = await gateway({ endpoints: [{ name: 'solo', baseUrl: s.baseUrl, apiKey: 'sk-solo-aaaaaaaaaaaaaa' }], router: { maxAttempts: 1, breaker: { openMs: 1000 } } });
s.setScript([{ fault: { type: 'status', status: 500 } }]);
for (let i = 0; i < 5; i++) await chat(g2);
let h = await getJson(g2, '/healthz'); show('after 5 x 500', { status: h.status, breaker: h.body.endpoints[0].breaker, avail: h.body.endpoints[0].available });
await sleep(1100);
s.setScript([{ fault: { type: 'slow-first-byte', delayMs: 3000 } }]);
const probe = chat(g2);
await sleep(200);
h = await getJson(g2, '/healthz'); const m = await scrape(g2);
show('probe in flight healthz', { status: h.status, breaker: h.body.endpoints[0].breaker, avail: h.body.endpoints[0].available, gaugeAvail: m.get('detour_endpoint_available{endpoint="solo"}'), gaugeBreaker: m.get('detour_breaker_state{endpoint="solo"}') });
const seen = s.stats().total;
const r2 = await chat(g2);
show('second request meanwhile', { status: r2.status, err: r2.headers['x-detour-error'], retryAfter: r2.headers['retry-after'], ms: Math.round(r2.ms), upstreamSaw: s.stats().total - seen });
const pr = await probe; show('probe', { status: pr.status, ms: Math.round(pr.ms) });
await cleanup();
