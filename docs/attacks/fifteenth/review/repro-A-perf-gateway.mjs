// A: one upstream's error body repeating the shared key prefix blocks the gateway's event loop (3,000 keys).
import crypto from 'node:crypto';
import { upstream, gateway, postJson, GK } from './lib.mjs';
const N = Number(process.argv[2] ?? 3000), KB = Number(process.argv[3] ?? 1000);
const rnd = (n) => crypto.randomBytes(n).toString('base64').replace(/[+/=]/g, 'x').slice(0, n);
const body = JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'sk-ant-api03-'.repeat(Math.ceil(KB * 1000 / 13)) } });
const u = await upstream((req, res) => { res.writeHead(400, { 'content-type': 'application/json' }); res.end(body); });
const endpoints = Array.from({ length: N }, (_, i) => ({ name: `e${i}`, provider: 'anthropic', baseUrl: `${u.base}/v1`, apiKey: `sk-ant-api03-${rnd(80)}`, priority: i === 0 ? 0 : 1 }));
let t = performance.now();
const gw = await gateway({ endpoints });
console.log(`keys=${N} gateway start ${(performance.now() - t).toFixed(0)} ms; error body ${(body.length / 1000).toFixed(0)} kB`);
// a heartbeat timer measures event-loop blocking
let maxGap = 0, last = performance.now(); const hb = setInterval(() => { const n = performance.now(); maxGap = Math.max(maxGap, n - last); last = n; }, 5);
t = performance.now();
const r = await postJson(`${gw.url}/v1/messages`, { model: 'claude-sonnet-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
const txt = await r.text();
console.log(`status ${r.status}, ${txt.length} chars, took ${(performance.now() - t).toFixed(0)} ms, longest event-loop stall ${maxGap.toFixed(0)} ms, upstream hits ${u.hits.length}`);
clearInterval(hb); await gw.close(0); u.close(); process.exit(0);
