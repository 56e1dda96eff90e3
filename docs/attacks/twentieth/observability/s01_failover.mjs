// Failover truth: 500 on primary then backup serves; 429 (Retry-After) on primary then backup; both down.
// Compare upstream ground truth with x-detour-* headers, /metrics deltas, access log, events.
import { chaos, gateway, chat, scrape, diff, pick, show, upstreamSummary, cleanup, hardStop, sleep } from './lib.mjs';
hardStop(60000);
const p = await chaos('primary');
const b = await chaos('backup');
const g = await gateway({ endpoints: [
  { name: 'primary', baseUrl: p.baseUrl, apiKey: 'sk-primary-aaaaaaaaaaaa', priority: 0 },
  { name: 'backup', baseUrl: b.baseUrl, apiKey: 'sk-backup-bbbbbbbbbbbb', priority: 1 },
] });
const M = ['detour_requests_total', 'detour_attempts_total', 'detour_failovers_total', 'detour_retries_total', 'detour_cost_usd_total', 'detour_tokens_total', 'detour_request_duration_seconds_count', 'detour_attempt_duration_seconds_count'];
const run = async (label, script, n = 1, extra = {}) => {
  p.setScript(script.p ?? []); b.setScript(script.b ?? []); p.resetStats(); b.resetStats();
  g.log.length = 0; g.events.length = 0;
  const m0 = await scrape(g);
  const results = [];
  for (let i = 0; i < n; i++) results.push(await chat(g, extra));
  await sleep(100);
  const m1 = await scrape(g);
  console.log(`\n=== ${label}`);
  show('upstream primary', upstreamSummary(p)); show('upstream backup', upstreamSummary(b));
  for (const r of results) show('client', { status: r.status, headers: r.headers, body: r.text.slice(0, 120) });
  for (const l of g.log) show('access log', l);
  for (const name of M) show(name, diff(m0, m1, name));
  const counts = {}; for (const e of g.events) counts[e.type] = (counts[e.type] ?? 0) + 1; show('events', counts);
  for (const e of g.events.filter((e) => e.type === 'cost-record')) show(' cost-record', { endpoint: e.endpoint, outcome: e.outcome, costUsd: e.costUsd, estimated: e.estimated, usage: e.usage });
  return { results, m0, m1 };
};
await run('A: primary 500, backup ok', { p: [{ fault: { type: 'status', status: 500 } }] });
await sleep(2100);
await run('B: primary 429 openai Retry-After 1.5s, backup ok', { p: [{ fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 1500 } }] });
await sleep(2100);
await run('C: both 503', { p: [{ fault: { type: 'status', status: 503 } }], b: [{ fault: { type: 'status', status: 503 } }] });
await sleep(3000);
await run('D: primary reset, backup ok', { p: [{ fault: { type: 'reset' } }] });
const h = await (await fetch(g.url + '/healthz')).json();
show('healthz', h.endpoints?.map((e) => ({ name: e.name, breaker: e.breaker, available: e.available, cd: e.cooldownSeconds, reason: e.reason })) ?? h);
await cleanup();
