// createFetch with ONE long-lived AbortSignal passed to many requests of every kind: count its 'abort' listeners after.
import { getEventListeners } from 'node:events';
import { createFetch } from '@detour/node';
import { startUpstream } from './upstream.mjs';
const kill = setTimeout(() => { console.log('TIMEOUT'); process.exit(2); }, 90000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ups = await Promise.all(['a', 'b', 'c'].map((n) => startUpstream(n)));
const f = createFetch({ endpoints: ups.map((u) => ({ name: u.name, baseUrl: u.url, apiKey: 'sk-x-0123456789abcdef' })),
  deadlineMs: 4000, firstByteTimeoutMs: 1500, streamIdleTimeoutMs: 1500, bodyIdleTimeoutMs: 1000, attemptTimeoutMs: 3000, rescueHeartbeatMs: 0, breaker: { openMs: 100, consecutiveFailures: 100 } });
const longLived = new AbortController();
const signal = longLived.signal;
const count = () => getEventListeners(signal, 'abort').length;
const body = (extra) => JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...extra });
const post = (extra) => f('https://api.openai.com/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(extra), signal });
const kinds = {
  json: async () => { const r = await post({}); await r.text(); },
  err: async () => { const r = await post({ plan: { a: 'err500', b: 'err500', c: 'err500' } }); await r.text(); },
  failover: async () => { const r = await post({ plan: { a: 'err500', b: 'r429' } }); await r.text(); },
  cutjson: async () => { const r = await post({ plan: { a: 'cutjson', b: 'cutjson', c: 'cutjson' } }); await r.text(); },
  streamFull: async () => { const r = await post({ stream: true }); await r.text(); },
  streamCancel: async () => { const r = await post({ stream: true, chunks: 20 }); const rd = r.body.getReader(); await rd.read(); await rd.cancel(); },
  streamRescued: async () => { const r = await post({ stream: true, plan: { a: 'streamcut', b: 'streamcut' } }); await r.text(); },
  streamRescueFails: async () => { const r = await post({ stream: true, plan: { a: 'streamcut', b: 'streamcut', c: 'streamcut' } }); await r.text().catch(() => {}); },
  streamStall: async () => { const r = await post({ stream: true, plan: { a: 'streamhang', b: 'streamhang', c: 'streamhang' } }); await r.text().catch(() => {}); },
  streamUnread: async () => { await post({ stream: true, chunks: 20 }); /* never read; guard idles out */ },
  firstByteTimeout: async () => { const r = await post({ stream: true, plan: { a: 'hang', b: 'hang', c: 'hang' } }); await r.text(); },
};
const only = process.argv[2];
for (const [name, run] of Object.entries(kinds)) {
  if (only && name !== only) continue;
  const before = count();
  for (let i = 0; i < 5; i++) await run().catch((e) => console.log(name, 'threw', e.message));
  await sleep(2000);
  console.log(`${name.padEnd(18)} listeners before=${before} after=${count()} pending=${(await f.router.health()).map((e) => e.pending).join(',')} upOpen=${ups.map((u) => u.open)}`);
}
await f.router.close?.(); for (const u of ups) await u.close();
clearTimeout(kill);
