// The gateway CLI as its own process (node apps/worker/dist/cli.js, loopback, port 0, admin key set) against two
// in-process upstreams; SECS seconds (default 200) of mixed hostile traffic: distinct 250-character model names (a
// quarter answered 429 retry-after 600), streams among them, Responses with distinct previous_response_id and GETs of
// distinct ids, distinct header values; /metrics and /admin/state scraped every 2 s. Samples the gateway's VmRSS.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { upstream, GK, AK, sleep } from './lib.mjs';
const SECS = Number(process.env.SECS ?? 200), C = 24;
let n = 0;
const rl = (i) => ({ 'x-ratelimit-limit-requests': '100000', 'x-ratelimit-remaining-requests': String(90000 - (i % 1000)), 'x-ratelimit-reset-requests': '20s', 'x-ratelimit-limit-tokens': '10000000', 'x-ratelimit-remaining-tokens': '9000000', 'x-ratelimit-reset-tokens': '6m0s' });
const handler = (tag) => (req, body, res) => {
  const i = n++;
  let parsed = {}; try { parsed = JSON.parse(body); } catch {}
  const model = parsed.model ?? 'gpt-4.1';
  if (req.method === 'GET') { res.writeHead(200, { 'content-type': 'application/json' }); return res.end(JSON.stringify({ id: req.url.split('/').pop(), object: 'response', status: 'completed', model: 'gpt-4.1', output: [], usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 } })); }
  if (tag === 'A' && i % 4 === 0) { res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '600', ...rl(i) }); return res.end('{"error":{"message":"Rate limit","type":"requests","code":"rate_limit_exceeded"}}'); }
  if (req.url.includes('/responses')) { res.writeHead(200, { 'content-type': 'application/json', ...rl(i) }); return res.end(JSON.stringify({ id: `resp_${tag}${i}_${'q'.repeat(40)}`, object: 'response', status: 'completed', model, output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'hi' }] }], usage: { input_tokens: 10, output_tokens: 5, total_tokens: 15 } })); }
  if (parsed.stream) {
    res.writeHead(200, { 'content-type': 'text/event-stream', ...rl(i) });
    const chunk = (delta, finish) => `data: ${JSON.stringify({ id: `c${i}`, object: 'chat.completion.chunk', model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    return res.end(chunk({ role: 'assistant', content: 'h' }, null) + chunk({ content: 'i' }, null) + chunk({}, 'stop') + `data: ${JSON.stringify({ id: `c${i}`, object: 'chat.completion.chunk', model, choices: [], usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 } })}\n\ndata: [DONE]\n\n`);
  }
  res.writeHead(200, { 'content-type': 'application/json', ...rl(i) });
  res.end(JSON.stringify({ id: `c${i}`, object: 'chat.completion', model, choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } }));
};
const a = await upstream(handler('A')), b = await upstream(handler('B'));
const dir = mkdtempSync('/tmp/attack14b-cli-');
writeFileSync(`${dir}/cfg.json`, JSON.stringify({ endpoints: [{ name: 'ep0', baseUrl: a.url, apiKey: 'sk-up-A0123456789', priority: 0, storage: 'orgA' }, { name: 'ep1', baseUrl: b.url, apiKey: 'sk-up-B0123456789', priority: 1, storage: 'orgB' }], gatewayKeys: [{ key: GK, name: 'team-a' }], admin: { key: AK }, accessLog: false }));
const child = spawn(process.execPath, ['/tmp/attack14b/apps/worker/dist/cli.js', '--config', `${dir}/cfg.json`, '--port', '0', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
let out = '';
const url = await new Promise((resolve, reject) => { child.stdout.on('data', (d) => { out += d; const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out); if (m) resolve(m[0]); }); child.on('exit', () => reject(new Error(out))); setTimeout(() => reject(new Error(`no url: ${out}`)), 10000); });
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
const h = { authorization: `Bearer ${GK}`, 'content-type': 'application/json' };
const pad = (i, len) => `${i}-`.padEnd(len, 'z');
const send = (i) => {
  switch (i % 5) {
    case 0: return fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: h, body: JSON.stringify({ model: `m-${pad(i, 250)}`, messages: [{ role: 'user', content: 'hi' }] }) });
    case 1: return fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: h, body: JSON.stringify({ model: `s-${pad(i, 250)}`, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] }) });
    case 2: return fetch(`${url}/v1/responses`, { method: 'POST', headers: h, body: JSON.stringify({ model: 'gpt-4.1', input: 'hi', store: true, previous_response_id: `resp_${pad(i, 100)}` }) });
    case 3: return fetch(`${url}/v1/responses/resp_${pad(i, 100)}`, { headers: h });
    default: return fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { ...h, 'x-detour-priority': `p${i}`, 'x-request-id': pad(i, 200), traceparent: `00-${i.toString(16).padStart(32, '1')}-${i.toString(16).padStart(16, '2')}-01` }, body: JSON.stringify({ model: 'gpt-4.1', user: pad(i, 200), metadata: { k: pad(i, 200) }, messages: [{ role: 'user', content: 'hi' }] }) });
  }
};
const t0 = Date.now(); let next = 0; const statuses = {}; let scrapes = 0, maxScrapeMs = 0, lastSizes = '';
const samples = [];
const sampler = setInterval(() => samples.push(`${((Date.now() - t0) / 1000).toFixed(0)}s:${rss().toFixed(0)}MB@${next}`), 20_000);
const scraper = (async () => { while ((Date.now() - t0) / 1000 < SECS) { const s = performance.now(); const m = await (await fetch(`${url}/metrics`)).text(); const st = await (await fetch(`${url}/admin/state`, { headers: { authorization: `Bearer ${AK}` } })).text(); maxScrapeMs = Math.max(maxScrapeMs, performance.now() - s); scrapes++; lastSizes = `metrics ${m.length} B, state ${st.length} B`; await sleep(2000); } })();
await Promise.all(Array.from({ length: C }, async () => { while ((Date.now() - t0) / 1000 < SECS) { const i = next++; try { const r = await send(i); statuses[r.status] = (statuses[r.status] ?? 0) + 1; await r.arrayBuffer(); } catch (e) { statuses.err = (statuses.err ?? 0) + 1; } } }));
await scraper; clearInterval(sampler);
samples.push(`end:${rss().toFixed(0)}MB@${next}`);
console.log(`${next} requests in ${SECS} s`, JSON.stringify(statuses), `\nVmRSS ${samples.join(' ')}\nscrapes ${scrapes}, slowest metrics+state pair ${maxScrapeMs.toFixed(0)} ms, last ${lastSizes}`);
child.kill('SIGTERM');
await new Promise((r) => child.on('exit', r));
await a.close(); await b.close();
process.exit(0);
