import { node, startHttp, mkClient, ask, watch, brief, hardTimeout } from './lib.mjs';
import { startRawHttp } from './rawhttp.mjs';
hardTimeout(110000);
const N = +(process.argv[2] ?? 30), useTls = process.argv[3] === "tls", jitter = +(process.argv[4] ?? 150), single = process.argv[5] === "single";
const primary = await startRawHttp({ tag: 'primary', idleCloseMs: 1000, finDelayMs: 50, tlsCert: useTls ? 'good' : undefined });
const backupStats = {}; const backup = await startHttp('paid-backup', backupStats);
const fetch = node.createFetch({ endpoints: [
  { name: 'primary', baseUrl: `${useTls ? 'https://localhost' : 'http://127.0.0.1'}:${primary.port}/v1`, apiKey: 'k', priority: 0 },
  ...(single ? [] : [{ name: 'backup', baseUrl: `http://127.0.0.1:${backup.port}/v1`, apiKey: 'k', priority: 1 }]) ] }, { tracer: false });
const ev = watch(fetch.router); const client = mkClient(fetch);
let ok = 0, err = 0, byBackup = 0; const errs = [];
for (let i = 0; i < N; i++) {
  await new Promise((r) => setTimeout(r, 1000 + Math.random() * jitter));
  const r = await ask(client, `#${i}`);
  if (!r.ok) { err++; errs.push(r.message); } else { ok++; if (r.content.includes('backup')) byBackup++; }
}
console.log(`args=${process.argv.slice(2).join(' ')}`);
console.log(`requests=${N} ok=${ok} callerErrors=${err} servedByPaidBackup=${byBackup}`);
console.log(`primary: served=${primary.stats.requests} conns=${primary.stats.conns} resetsInRaceWindow=${primary.stats.resets}; backup served=${backupStats.requests ?? 0}`);
const lat = ev.filter((e) => e.type === 'request-end').map((e) => e.durationMs).sort((a, b) => a - b); console.log('request ms p50/max:', lat[lat.length >> 1], lat.at(-1));
const fails = ev.filter((e) => e.type === 'attempt-end' && e.kind !== 'success');
console.log('failed attempts on primary:', fails.length, [...new Set(fails.map((e) => e.reason))]);
console.log('failovers:', ev.filter((e) => e.type === 'failover').length, '| breaker changes:', ev.filter((e) => e.type === 'breaker-change').map(brief).join('; ') || 'none');
console.log('health:', JSON.stringify((await fetch.router.health()).map((h) => ({ n: h.name, breaker: h.breaker, avail: h.available }))));
for (const e of errs) console.log('  caller error:', e);
await fetch.router.close(); primary.close(); process.exit(0);
