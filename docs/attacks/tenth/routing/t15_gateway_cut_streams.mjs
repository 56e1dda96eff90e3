// Gateway + openai SDK: an endpoint that cuts 9 of 10 streams after the first event never trips its breaker.
import { upstream, sleep, R } from './lib.mjs';
import os from 'node:os';
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
const { default: OpenAI } = await import(R + '/packages/node/node_modules/openai/index.mjs');
const chunk = (c) => `data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"${c}"},"finish_reason":null}]}\n\n`;
const fin = `data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}\n\ndata: [DONE]\n\n`;
const A = await upstream('A', async (q, s) => { s.writeHead(200, { 'content-type': 'text/event-stream' }); s.write(chunk('a')); await sleep(20); if (A.hits % 10 === 1) return void s.end(fin); s.destroy(); });
const B = await upstream('B', async (q, s) => { s.writeHead(200, { 'content-type': 'text/event-stream' }); s.end(chunk('a') + chunk('b') + fin); });
const dir = mkdtempSync(os.tmpdir() + '/gw-');
writeFileSync(dir + '/detour.json', JSON.stringify({ endpoints: [{ name: 'A', baseUrl: A.url, apiKey: 'k1', priority: 0 }, { name: 'B', baseUrl: B.url, apiKey: 'k2', priority: 1 }], router: { rescue: process.env.RESCUE ?? 'off' } }));
const gw = spawn('node', [R + '/apps/worker/dist/cli.js', '--config', dir + '/detour.json', '--port', '0', '--allow-unauthenticated'], { stdio: ['ignore', 'pipe', 'pipe'] });
let errText = ''; gw.stderr.on('data', (d) => (errText += d));
const url = await new Promise((res, rej) => { gw.stdout.on('data', (d) => { const m = /listening on (\S+)/.exec(String(d)); if (m) res(m[1]); }); setTimeout(() => rej(new Error('no start ' + errText)), 10000); });
const client = new OpenAI({ apiKey: 'x', baseURL: url + '/v1', maxRetries: 0 });
let clean = 0, failed = 0;
for (let i = 0; i < 60; i++) {
  try { const s = await client.chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }] }); for await (const _ of s); clean++; } catch (e) { failed++; }
}
const metrics = await (await fetch(url + '/metrics')).text().catch(() => '');
console.log(`gateway: 60 sequential SDK streams -> ${clean} clean, ${failed} errors; A hits ${A.hits} (${A.hits - Math.ceil(A.hits / 10)} cut), B hits ${B.hits}`);
console.log(metrics.split('\n').filter((l) => /breaker/.test(l) && !l.startsWith('#')).join('\n') || errText.slice(0, 500));
gw.kill('SIGTERM'); A.close(); B.close(); await sleep(300); process.exit(0);
