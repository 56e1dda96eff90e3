// Anthropic Messages with prompt caching (5-minute and 1-hour writes, reads), JSON and stream, through the gateway.
// Ground truth: the usage the upstream put in its answers (read from the client's body), priced by hand with the
// table's claude-sonnet-4-5 row (input 3, cached 0.3, write5m 3.75, write1h 6, output 15 $/MTok).
// Compared with x-detour-cost-usd, detour_tokens_total, detour_cost_usd_total, the access log and /admin/costs.
import { chaos, gateway, post, scrape, diff, show, cleanup, hardStop, sleep, getJson } from './lib.mjs';
hardStop(60000);
const u = await chaos('claude');
const g = await gateway({ endpoints: [{ name: 'claude', provider: 'anthropic', baseUrl: u.baseUrl, apiKey: 'sk-ant-aaaaaaaaaaaaaaaa' }] });
const sys = (ttl, text) => [{ type: 'text', text, cache_control: ttl ? { type: 'ephemeral', ttl } : { type: 'ephemeral' } }];
const body = (extra) => ({ model: 'claude-sonnet-4-5', max_tokens: 64, system: [...sys('1h', 'A'.repeat(800)), ...sys(undefined, 'B'.repeat(400))], messages: [{ role: 'user', content: 'Hi there' }], ...extra });
const hand = (usage) => (usage.input_tokens * 3 + (usage.cache_read_input_tokens ?? 0) * 0.3 + (usage.cache_creation?.ephemeral_5m_input_tokens ?? 0) * 3.75 + (usage.cache_creation?.ephemeral_1h_input_tokens ?? 0) * 6 + usage.output_tokens * 15) / 1e6;
const hdrs = { 'anthropic-version': '2023-06-01' };
let truthTotal = 0;
const m0 = await scrape(g);
for (const [label, extra] of [['JSON 1 (writes)', {}], ['JSON 2 (reads)', {}], ['stream (reads)', { stream: true }]]) {
  const r = await post(g, '/v1/messages', body(extra), { headers: hdrs });
  let usage;
  if (extra.stream) {
    const start = JSON.parse(r.text.split('\n').find((l) => l.includes('"message_start"')).slice(6)).message.usage;
    const delta = JSON.parse(r.text.split('\n').filter((l) => l.includes('"message_delta"')).pop().slice(6)).usage;
    usage = { ...start, output_tokens: delta.output_tokens };
  } else usage = JSON.parse(r.text).usage;
  truthTotal += hand(usage);
  show(label, { status: r.status, usage, hand: +hand(usage).toFixed(10), header: r.headers['x-detour-cost-usd'] });
}
await sleep(300);
const m1 = await scrape(g);
show('tokens metric', diff(m0, m1, 'detour_tokens_total'));
show('cost metric', diff(m0, m1, 'detour_cost_usd_total'));
show('access log costs', g.log.filter((l) => l.route === '/v1/messages').map((l) => l.costUsd));
const c = await getJson(g, '/admin/costs?window=1h', true);
show('totals', { truthByHand: +truthTotal.toFixed(10), adminCosts: c.body.totalUsd, accessLogSum: g.log.reduce((a, l) => a + (l.costUsd ?? 0), 0) });
await cleanup();
