// A stream that stalls after 5 tokens (streamIdleTimeoutMs 800) and is rescued on the backup: what do metrics,
// access log and events say; and the same stall with no backup able to take it.
import { chaos, gateway, scrape, diff, show, upstreamSummary, cleanup, hardStop, sleep } from './lib.mjs';
hardStop(60000);
const opts = { answers: 'deterministic', seed: 7, completionTokens: 20 };
const p = await chaos('primary', opts); const b = await chaos('backup', opts);
const g = await gateway({ endpoints: [
  { name: 'primary', baseUrl: p.baseUrl, apiKey: 'sk-primary-aaaaaaaaaaaa', priority: 0 },
  { name: 'backup', baseUrl: b.baseUrl, apiKey: 'sk-backup-bbbbbbbbbbbb', priority: 1 },
], router: { streamIdleTimeoutMs: 800 } });
const M = ['detour_requests_total', 'detour_attempts_total', 'detour_stream_rescues_total', 'detour_cost_usd_total', 'detour_time_to_first_byte_seconds_count', 'detour_attempt_duration_seconds_sum'];
const run = async (label, script) => {
  p.setScript(script.p ?? []); b.setScript(script.b ?? []); p.resetStats(); b.resetStats(); g.log.length = 0; g.events.length = 0;
  const m0 = await scrape(g);
  const t0 = performance.now();
  const res = await fetch(g.url + '/v1/chat/completions', { method: 'POST', headers: { authorization: 'Bearer gk-test-key-0001', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'Tell me a story about a fox.' }] }) });
  const text = await res.text().catch((e) => 'ERR ' + (e.cause?.code ?? e.message));
  const wall = Math.round(performance.now() - t0);
  await sleep(300); const m1 = await scrape(g);
  console.log(`\n=== ${label}`);
  show('upstream', { p: upstreamSummary(p), b: upstreamSummary(b) });
  show('client', { status: res.status, endpointHeader: res.headers.get('x-detour-endpoint'), whole: text.includes('[DONE]'), errEvent: /"error"/.test(text), wall });
  show('access log', g.log.filter((l) => l.route.startsWith('/v1')));
  for (const n of M) show(n, diff(m0, m1, n));
  for (const e of g.events.filter((e) => ['attempt-end', 'stream-rescue', 'request-end', 'cost-record'].includes(e.type))) { const { at, usage, ...rest } = e; show(' ' + e.type, rest); }
};
await run('A: primary stalls after 5 tokens; backup replays', { p: [{ fault: { type: 'stall', afterTokens: 5 } }] });
await sleep(2500);
await run('B: primary stalls; backup 500', { p: [{ fault: { type: 'stall', afterTokens: 5 } }], b: [{ fault: { type: 'status', status: 500 } }] });
await cleanup();
