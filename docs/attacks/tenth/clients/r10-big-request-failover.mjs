// createFetch: a ~30 MB request body (base64 image) failed over across 4 endpoints (each 500). Memory per attempt?
import { createFetch } from '/tmp/attack10b/repo/packages/node/dist/index.js';
import { upstream, sleep, now, MB } from './lib.mjs';
const ups = [];
for (let i = 0; i < 4; i++) ups.push(await upstream(async (req, res, body) => { await sleep(300); res.writeHead(500, { 'content-type': 'application/json' }); res.end('{"error":{"message":"boom","type":"server_error"}}'); }));
const fetch = createFetch({ endpoints: ups.map((u, i) => ({ name: 'e' + i, baseUrl: u.url, apiKey: 'k' })), maxAttempts: 4 });
const img = Buffer.alloc(22 * 1048576, 7).toString('base64'); // ~29.3 MB base64
const body = JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: [{ type: 'text', text: 'what is this' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,' + img } }] }] });
console.log('body', MB(body.length));
global.gc?.();
const m0 = process.memoryUsage(); let peak = 0;
const iv = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
const t0 = now();
fetch.router.subscribe((ev) => { if (ev.type === 'attempt-start') { const m = process.memoryUsage(); console.log(`  @${Math.round(now() - t0)} attempt-start ${ev.endpoint} rss=${MB(m.rss)} ab=${MB(m.arrayBuffers)}`); } });
const r = await fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
console.log('status', r.status, r.headers.get('x-detour-error'), 'attempts', r.headers.get('x-detour-attempts'), 'ms', Math.round(now() - t0), (await r.text()).slice(0, 150));
console.log('bytes each upstream got', ups.map((u) => u.log.map((e) => MB(e.bodyBytes))));
clearInterval(iv); global.gc?.();
console.log('rss start', MB(m0.rss), 'peak', MB(peak), 'end', MB(process.memoryUsage().rss), 'arrayBuffers end', MB(process.memoryUsage().arrayBuffers));
// over the limit: 33 MiB
const big = 'a'.repeat(34 * 1048576);
try { const r2 = await fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: big }] }) }); console.log('over limit: status', r2.status, r2.headers.get('x-detour-error'), (await r2.text()).slice(0, 200)); } catch (e) { console.log('over limit threw', e.name, e.message.slice(0, 200)); }
ups.forEach((u) => u.close()); process.exit(0);
