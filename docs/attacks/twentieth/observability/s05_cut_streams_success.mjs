// An endpoint that cuts every stream mid-answer: what do /metrics (attempts by kind), the dashboard (success rate,
// served, latency), /healthz (breaker) and the events say about it? Ground truth: every one of its streams broke.
// Also: spend in /admin/costs, the costs CLI, the cost metric and the access log, over the same traffic.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { REPO, chaos, gateway, scrape, pick, show, upstreamSummary, cleanup, hardStop, sleep, getJson } from './lib.mjs';
hardStop(90000);
const opts = { answers: 'deterministic', seed: 7, completionTokens: 20 };
const p = await chaos('primary', { ...opts, chunkDelayMs: 20 });
const b = await chaos('backup', opts);
const g = await gateway({ endpoints: [
  { name: 'primary', baseUrl: p.baseUrl, apiKey: 'sk-primary-aaaaaaaaaaaa', priority: 0 },
  { name: 'backup', baseUrl: b.baseUrl, apiKey: 'sk-backup-bbbbbbbbbbbb', priority: 1 },
] });
p.setScript([{ fault: { type: 'cut-stream', afterTokens: 5, mode: 'reset' } }]);
const stream = async () => {
  const res = await fetch(g.url + '/v1/chat/completions', { method: 'POST',
    headers: { authorization: 'Bearer gk-test-key-0001', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'Tell me a story about a fox.' }] }) });
  const text = await res.text().catch((e) => 'ERR ' + (e.cause?.code ?? e.message));
  return { status: res.status, endpoint: res.headers.get('x-detour-endpoint'), whole: text.includes('[DONE]') };
};
const results = [];
for (let i = 0; i < 8; i++) { results.push(await stream()); await sleep(50); }
await sleep(300);
const counts = (arr) => arr.reduce((o, r) => ((o[JSON.stringify(r)] = (o[JSON.stringify(r)] ?? 0) + 1), o), {});
show('client results', counts(results));
show('upstream primary', upstreamSummary(p)); show('upstream backup', upstreamSummary(b));
const m = await scrape(g);
show('attempts_total', pick(m, 'detour_attempts_total'));
show('stream_rescues_total', pick(m, 'detour_stream_rescues_total'));
show('breaker_state gauge', pick(m, 'detour_breaker_state'));
show('attempt_duration sum/count', { sum: pick(m, 'detour_attempt_duration_seconds_sum'), count: pick(m, 'detour_attempt_duration_seconds_count') });
show('breaker-change events', g.events.filter((e) => e.type === 'breaker-change').map((e) => `${e.endpoint}:${e.from}->${e.to}`));
show('attempt-end kinds', counts(g.events.filter((e) => e.type === 'attempt-end').map((e) => `${e.endpoint}:${e.kind}`)));
const st = await getJson(g, '/admin/state', true);
for (const e of st.body.endpoints) show(`dashboard ${e.name}`, { state: e.state, breaker: e.breaker, served: e.served, attempts: e.attempts, successRate: e.successRate, p50: e.latencyP50Ms, ttfbP50: e.firstByteP50Ms, spend: e.spendUsd, wasted: e.wastedUsd });
show('timeline', st.body.timeline.map((t) => t.text ?? t.message ?? JSON.stringify(t)).slice(0, 6));
const h = await getJson(g, '/healthz');
show('healthz', h.body.endpoints.map((e) => ({ n: e.name, breaker: e.breaker, avail: e.available, reason: e.reason })));

// Spend, four ways.
const costs = await getJson(g, '/admin/costs?window=1h', true);
const metricTotal = Object.values(pick(m, 'detour_cost_usd_total')).reduce((a, v) => a + v, 0);
const logTotal = g.log.reduce((a, l) => a + (l.costUsd ?? 0), 0);
const eventTotal = g.events.filter((e) => e.type === 'cost-record').reduce((a, e) => a + (e.costUsd ?? 0), 0);
show('spend', { adminCostsTotal: costs.body.totalUsd, adminWasted: costs.body.wastedUsd, metricTotal, accessLogTotal: logTotal, eventsTotal: eventTotal });
show('cost metric', pick(m, 'detour_cost_usd_total'));
const { stdout: cli } = await promisify(execFile)(process.execPath, [path.join(REPO, 'apps/worker/dist/cli.js'), 'costs', '--url', g.url, '--window', '1h'], { env: { ...process.env, DETOUR_ADMIN_KEY: 'ak-test-admin-0001' }, timeout: 15000 });
console.log(cli);
await cleanup();
