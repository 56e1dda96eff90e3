// Same requests through the Node gateway: compare x-detour-cost-usd, access log, /metrics, /admin/costs.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { upstream, sse, json, d, ev, watchdog, chatChunk, R } from './up.mjs';
const { default: OpenAI } = await import(`${R}/node_modules/.pnpm/openai@6.49.0_ws@8.18.0_zod@4.6.7/node_modules/openai/index.mjs`);
const { default: Anthropic } = await import(`${R}/node_modules/.pnpm/@anthropic-ai+sdk@1.15.0_zod@4.6.7/node_modules/@anthropic-ai/sdk/index.mjs`);
watchdog(40000);
const chatUsage = { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500, prompt_tokens_details: { cached_tokens: 800 }, completion_tokens_details: { reasoning_tokens: 300 } };
const up = await upstream(async (req, body, res) => {
  const primary = (req.headers.authorization ?? req.headers['x-api-key'] ?? '').includes('k1');
  const content = JSON.stringify(body?.messages ?? body?.input ?? '');
  if (req.url.endsWith('/messages')) {
    const u0 = { input_tokens: 100, cache_creation_input_tokens: 300, cache_read_input_tokens: 1000, cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 }, output_tokens: 1 };
    return sse(res, [ev('message_start', { type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', model: body.model, content: [], stop_reason: null, stop_sequence: null, usage: u0 } }), ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }), ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'hi' } }), ev('content_block_stop', { type: 'content_block_stop', index: 0 }), ev('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { ...u0, output_tokens: 50 } }), ev('message_stop', { type: 'message_stop' })]);
  }
  if (content.includes('CUTJSON') && primary) { res.writeHead(200, { 'content-type': 'application/json' }); res.write('{"id":"c","choices":[{"message":{"content":"' + 'y'.repeat(2000)); await new Promise((r) => setTimeout(r, 100)); return res.destroy(); }
  if (!body.stream) return json(res, { id: 'c', object: 'chat.completion', created: 1, model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: chatUsage });
  return sse(res, [d(chatChunk('hi', { usage: null })), d({ ...chatChunk(''), choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: null }), ...(body.stream_options?.include_usage ? [d({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: chatUsage })] : []), 'data: [DONE]\n\n']);
});
const cfg = '/tmp/attack9a/gw-config.json';
writeFileSync(cfg, JSON.stringify({
  endpoints: [
    { name: 'a', baseUrl: `${up.url}/v1`, apiKey: 'k1', priority: 0 },
    { name: 'b', baseUrl: `${up.url}/v1`, apiKey: 'k2', priority: 1 },
    { name: 'anth', provider: 'anthropic', baseUrl: `${up.url}/v1`, apiKey: 'k3' },
  ],
  gatewayKeys: [{ key: 'gk-1', name: 'team-a' }],
  admin: { key: 'adm-1' },
  accessLog: true,
  router: { streamUsage: 'inject', ...(process.argv[2] === 'prices' ? { prices: [{ model: 'gpt-4.1', inputPerMTok: 1, outputPerMTok: 1 }] } : {}) },
}));
const gw = spawn(process.execPath, [`${R}/apps/worker/dist/cli.js`, '--config', cfg, '--port', '0', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
let out = ''; gw.stdout.on('data', (c) => (out += c)); gw.stderr.on('data', (c) => (out += c));
const base = await new Promise((resolve, reject) => { const t = setInterval(() => { const m = out.match(/listening on (http:\/\/\S+)/); if (m) { clearInterval(t); resolve(m[1]); } }, 50); setTimeout(() => reject(new Error('no start: ' + out)), 10000); });
const oa = new OpenAI({ apiKey: 'gk-1', baseURL: `${base}/v1`, maxRetries: 0 });
const an = new Anthropic({ apiKey: 'gk-1', baseURL: base, maxRetries: 0 });
const headers = {};
{ const { response } = await oa.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'plain' }] }).withResponse(); headers.chatJson = response.headers.get('x-detour-cost-usd'); }
{ const { response } = await oa.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'CUTJSON' }] }).withResponse(); headers.chatJsonAfterCut = response.headers.get('x-detour-cost-usd') + ' attempts=' + response.headers.get('x-detour-attempts'); }
{ const { data: s, response } = await oa.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'stream' }], stream: true }).withResponse(); for await (const c of s); headers.chatStream = response.headers.get('x-detour-cost-usd'); }
{ const { data: s, response } = await an.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'x' }], stream: true }).withResponse(); for await (const c of s); headers.messagesStream = response.headers.get('x-detour-cost-usd'); }
await new Promise((r) => setTimeout(r, 300));
console.log('headers', JSON.stringify(headers));
const logs = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
for (const l of logs) console.log('access-log', JSON.stringify({ route: l.route, model: l.model, endpoint: l.endpoint, attempts: l.attempts, costUsd: l.costUsd }));
const logSum = logs.reduce((s, l) => s + (l.costUsd ?? 0), 0);
const metrics = await (await fetch(`${base}/metrics`)).text();
let metricSum = 0;
for (const line of metrics.split('\n')) if (line.startsWith('detour_cost_usd_total')) { console.log('metric', line); metricSum += Number(line.split(' ').at(-1)); }
for (const line of metrics.split('\n')) if (line.startsWith('detour_tokens_total')) console.log('metric', line);
const costs = await (await fetch(`${base}/admin/costs?window=1h`, { headers: { authorization: 'Bearer adm-1' } })).json();
console.log('admin/costs totalUsd', costs.totalUsd, 'wasted', costs.wastedUsd, 'rows', JSON.stringify(costs.rows.map((r) => [r.endpoint, r.model, r.key, r.successUsd, r.failedUsd, r.unpriced])));
console.log('SUMS: access-log', logSum, 'metrics', metricSum, 'admin', costs.totalUsd);
console.log('expected: chat json', (200*2+800*0.5+500*8)/1e6, 'messages', 0.002925);
gw.kill('SIGTERM'); await new Promise((r) => gw.once('exit', r)); await up.close(); process.exit(0);
