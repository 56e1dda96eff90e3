// Fill the cost ledger with 64 distinct rows per minute over MINUTES simulated minutes, then time /admin/costs?window=24h
// and the costs CLI (Date.now shifted in-process).
import { execFile } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { upstream, okChat, gateway, chat, admin, AK } from './lib.mjs';
const realNow = Date.now; let offset = 0; Date.now = () => realNow() + offset;
const u = await upstream(okChat);
const gw = await gateway([u]);
const minutes = Number(process.env.MINUTES ?? 720);
const t0 = realNow();
for (let m = 0; m < minutes; m++) {
  await Promise.all(Array.from({ length: 64 }, (_, i) => chat(gw, `gpt-4.1-mini-${m}-${i}-${'q'.repeat(90)}`).then((r) => r.arrayBuffer())));
  offset += 60_000;
}
offset -= 60_000;
console.log('filled', minutes * 64, 'rows in', realNow() - t0, 'ms');
const h = monitorEventLoopDelay({ resolution: 5 }); h.enable();
let s = realNow(); const r = await admin(gw, '/admin/costs?window=24h'); const body = await r.text();
h.disable();
console.log('/admin/costs?window=24h', r.status, 'ms', realNow() - s, 'MB', (body.length / 1e6).toFixed(1), 'max loop stall ms', (h.max / 1e6).toFixed(0));
s = realNow();
const out = await new Promise((resolve) => execFile(process.execPath, ['/tmp/atk13b/apps/worker/dist/cli.js', 'costs', '--url', gw.url, '--window', '24h'], { env: { ...process.env, DETOUR_ADMIN_KEY: AK }, timeout: 60000, maxBuffer: 1e9 }, (e, so, se) => resolve({ so, se, e })));
console.log('costs CLI ms', realNow() - s, 'stdout lines', out.so.split('\n').length, 'MB', (out.so.length / 1e6).toFixed(1), 'stderr', out.se.slice(0, 200));
console.log('rss MB', (process.memoryUsage().rss / 1e6).toFixed(0));
await gw.close(100); await u.close();
