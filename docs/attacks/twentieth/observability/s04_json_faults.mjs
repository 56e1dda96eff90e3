// Buffered (JSON) requests under faults: deadline on hangs, a 200 that is not JSON, a JSON body cut in half,
// a caller who leaves before any answer, a relayed 400, both endpoints 429 with Retry-After.
import { chaos, gateway, chat, post, scrape, diff, pick, show, upstreamSummary, cleanup, hardStop, sleep, getJson } from './lib.mjs';
hardStop(120000);
const p = await chaos('primary');
const b = await chaos('backup');
const g = await gateway({ endpoints: [
  { name: 'primary', baseUrl: p.baseUrl, apiKey: 'sk-primary-aaaaaaaaaaaa', priority: 0 },
  { name: 'backup', baseUrl: b.baseUrl, apiKey: 'sk-backup-bbbbbbbbbbbb', priority: 1 },
], router: { deadlineMs: 1500 } });
const M = ['detour_requests_total', 'detour_attempts_total', 'detour_failovers_total', 'detour_retries_total', 'detour_cost_usd_total', 'detour_tokens_total', 'detour_request_duration_seconds_sum', 'detour_attempt_duration_seconds_sum', 'detour_attempt_duration_seconds_count'];
const run = async (label, script, doRequest = () => chat(g)) => {
  p.setScript(script.p ?? []); b.setScript(script.b ?? []); p.resetStats(); b.resetStats();
  g.log.length = 0; g.events.length = 0;
  const m0 = await scrape(g);
  const r = await doRequest();
  await sleep(300);
  const m1 = await scrape(g);
  console.log(`\n=== ${label}`);
  show('upstream primary', upstreamSummary(p)); show('upstream backup', upstreamSummary(b));
  show('client', { status: r.status, headers: r.headers, ms: Math.round(r.ms), body: r.text?.slice(0, 160) });
  for (const l of g.log.filter((l) => l.route !== '/metrics')) show('access log', l);
  for (const name of M) show(name, diff(m0, m1, name));
  for (const e of g.events.filter((e) => ['cost-record', 'request-end', 'attempt-end', 'retry-wait', 'cooldown-start'].includes(e.type))) {
    const { type, at, usage, ...rest } = e; show(' ' + type, { ...rest, ...(usage ? { in: usage.inputTokens, out: usage.outputTokens } : {}) });
  }
  return r;
};
await run('A: both hang, deadline 1500 ms', { p: [{ fault: { type: 'hang' } }], b: [{ fault: { type: 'hang' } }] });
await sleep(2500);
await run('B: primary 200 text/html (not JSON), backup ok', { p: [{ fault: { type: 'status', status: 200, body: '<html>gateway maintenance</html>', headers: { 'content-type': 'text/html' } } }] });
await sleep(2500);
await run('C: primary JSON cut in half (cut-stream on JSON), backup ok', { p: [{ fault: { type: 'cut-stream', afterChunks: 1 } }] });
await sleep(2500);
await run('D: caller leaves after 300 ms; primary hangs', { p: [{ fault: { type: 'hang' } }] }, async () => {
  const ac = new AbortController(); setTimeout(() => ac.abort(), 300);
  const t0 = performance.now();
  try { return await chat(g, {}, { signal: ac.signal }); } catch (e) { return { status: 'client aborted', headers: {}, ms: performance.now() - t0 }; }
});
await sleep(2500);
await run('E: primary 400 context-length', { p: [{ fault: { type: 'context-length' } }] });
await sleep(500);
await run('F: both 429 Retry-After 20 s', { p: [{ fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 20000 } }], b: [{ fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 20000 } }] });
const h = await getJson(g, '/healthz');
show('healthz after F', { status: h.status, eps: h.body.endpoints.map((e) => ({ n: e.name, avail: e.available, cd: e.cooldownSeconds, mcd: e.modelCooldownSeconds })) });
const m = await scrape(g);
show('gauges after F', { avail: pick(m, 'detour_endpoint_available'), cd: pick(m, 'detour_endpoint_cooldown_seconds'), mcd: pick(m, 'detour_model_cooldown_seconds') });
const r = await chat(g); show('next request same model', { status: r.status, retryAfter: r.headers['retry-after'], err: r.headers['x-detour-error'], upstreamTotal: p.stats().total + b.stats().total });
const r2 = await chat(g, { model: 'gpt-4o-mini' }); show('next request other model', { status: r2.status, ep: r2.headers['x-detour-endpoint'] });
await cleanup();
