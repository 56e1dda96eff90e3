// Mixed traffic, then cross-checks: every histogram's buckets monotone with +Inf == _count; requests_total +
// rejected == access-log lines for /v1; attempts_total == upstream requests received; request-duration count ==
// requests_total; access-log durations vs client wall clock; per-request x-detour-attempts vs access log.
import { chaos, gateway, chat, post, scrape, pick, show, cleanup, hardStop, sleep } from './lib.mjs';
hardStop(90000);
const p = await chaos('primary', { seed: 3 });
const b = await chaos('backup');
const g = await gateway({ endpoints: [
  { name: 'primary', baseUrl: p.baseUrl, apiKey: 'sk-primary-aaaaaaaaaaaa', priority: 0, models: ['gpt-4.1-mini', 'gpt-4o-mini'] },
  { name: 'backup', baseUrl: b.baseUrl, apiKey: 'sk-backup-bbbbbbbbbbbb', priority: 1, models: ['gpt-4.1-mini', 'gpt-4o-mini'] },
], router: { deadlineMs: 3000 } });
p.setScript([
  { when: { probability: 0.25 }, fault: { type: 'status', status: 500 } },
  { when: { probability: 0.15 }, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 300 } },
  { when: { probability: 0.1 }, fault: { type: 'reset' } },
]);
const client = [];
for (let i = 0; i < 40; i++) {
  const kind = i % 10;
  let r;
  if (kind === 7) r = await post(g, '/v1/chat/completions', { model: 'nope-model', messages: [] });
  else if (kind === 8) { const res = await fetch(g.url + '/v1/chat/completions', { method: 'POST', headers: { authorization: 'Bearer wrong-key', 'content-type': 'application/json' }, body: '{}' }); r = { status: res.status, headers: {}, ms: 0 }; await res.text(); }
  else if (kind === 9) r = await post(g, '/v1/chat/completions', '{"model":');
  else r = await chat(g, { model: i % 2 ? 'gpt-4o-mini' : 'gpt-4.1-mini' });
  client.push(r);
}
await sleep(300);
const m = await scrape(g);
// Histograms.
const problems = [];
const hist = {};
for (const [k, v] of m) {
  const mm = k.match(/^(\w+)_bucket\{(.*)le="([^"]+)"\}$/);
  if (mm) { const key = `${mm[1]}{${mm[2]}}`; (hist[key] ??= []).push([mm[3] === '+Inf' ? Infinity : Number(mm[3]), v]); }
}
for (const [key, buckets] of Object.entries(hist)) {
  for (let i = 1; i < buckets.length; i++) if (buckets[i][1] < buckets[i - 1][1]) problems.push(`${key} not monotone`);
  const name = key.slice(0, key.indexOf('{')); const labels = key.slice(key.indexOf('{') + 1, -1).replace(/,$/, '');
  const count = m.get(`${name}_count${labels ? `{${labels}}` : ''}`);
  if (count !== buckets.at(-1)[1]) problems.push(`${key} +Inf ${buckets.at(-1)[1]} != count ${count}`);
}
show('histogram series checked', Object.keys(hist).length); show('histogram problems', problems);
const sum = (o) => Object.values(o).reduce((a, v) => a + v, 0);
const v1 = g.log.filter((l) => l.route?.startsWith('/v1'));
show('counts', {
  clientRequests: client.length,
  accessLogV1Lines: v1.length,
  requests_total: sum(pick(m, 'detour_requests_total')),
  rejected_total: pick(m, 'detour_rejected_requests_total'),
  request_duration_count: sum(pick(m, 'detour_request_duration_seconds_count')),
  requestEndEvents: g.events.filter((e) => e.type === 'request-end').length,
  attempts_total: sum(pick(m, 'detour_attempts_total')),
  attemptStartEvents: g.events.filter((e) => e.type === 'attempt-start').length,
  upstreamReceived: p.stats().total + b.stats().total,
  accessLogAttemptsSum: v1.reduce((a, l) => a + l.attempts, 0),
  clientHeaderAttemptsSum: client.reduce((a, r) => a + Number(r.headers['x-detour-attempts'] ?? 0), 0),
});
show('attempts by kind', pick(m, 'detour_attempts_total'));
show('upstream outcomes', { p: p.stats().byOutcome, b: b.stats().byOutcome });
// Per request: header vs log (same order: requests are sequential).
const mism = [];
v1.forEach((l, i) => { const r = client[i]; const h = r.headers['x-detour-attempts']; if (h !== undefined && Number(h) !== l.attempts) mism.push({ i, header: h, log: l.attempts, status: r.status }); if (l.status !== r.status) mism.push({ i, logStatus: l.status, clientStatus: r.status }); });
show('header/log mismatches', mism);
show('client statuses', client.reduce((o, r) => ((o[r.status] = (o[r.status] ?? 0) + 1), o), {}));
await cleanup();
