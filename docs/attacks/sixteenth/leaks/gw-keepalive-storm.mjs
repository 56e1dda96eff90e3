// Keep-alive and pipelined clients (undici Pool with pipelining) with random aborts mid-body/mid-stream; then counters.
import { Pool } from 'undici';
import { setup, KEY, snapshot, sleep, mulberry } from './gw-harness.mjs';
const [seed = 1, total = 300] = process.argv.slice(2);
const kill = setTimeout(() => { console.log('TIMEOUT'); process.exit(2); }, 200000);
const rnd = mulberry(Number(seed));
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
const { ups, gw, port } = await setup({ breaker: { consecutiveFailures: 1000 } });
const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 4, pipelining: 4 });
const modes = ['ok', 'ok', 'ok', 'err500', 'r429', 'hang', 'slow', 'cutjson', 'streamcut', 'streamhang', 'streamslow'];
const stats = {};
const one = async () => {
  const stream = rnd() < 0.5;
  const ac = new AbortController();
  const body = JSON.stringify({ model: 'm', stream, messages: [{ role: 'user', content: 'y'.repeat(Math.floor(rnd() * 3000)) }], plan: { a: pick(modes), b: pick(modes), c: pick(modes) }, delay: 5 + Math.floor(rnd() * 50), chunks: 2 + Math.floor(rnd() * 8) });
  const abortAt = rnd() < 0.4 ? Math.floor(rnd() * 1200) : undefined;
  const t = abortAt !== undefined ? setTimeout(() => ac.abort(), abortAt) : undefined;
  // Some bodies are sent slowly, in pieces, so an abort can land mid-body.
  const slowBody = rnd() < 0.2;
  const src = slowBody ? (async function* () { const b = Buffer.from(body); for (let i = 0; i < b.length; i += 500) { yield b.subarray(i, i + 500); await sleep(30); } })() : body;
  try {
    const r = await pool.request({ method: 'POST', path: '/v1/chat/completions', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...(slowBody ? { 'content-length': String(Buffer.byteLength(body)) } : {}) }, body: src, signal: ac.signal });
    await r.body.text();
    stats[r.statusCode] = (stats[r.statusCode] ?? 0) + 1;
  } catch (e) { stats[e.name] = (stats[e.name] ?? 0) + 1; }
  clearTimeout(t);
};
let started = 0;
await Promise.all(Array.from({ length: 24 }, async () => { while (started < Number(total)) { started++; await one(); } }));
console.log('done', JSON.stringify(stats));
await pool.close();
await sleep(6000);
const snap = await snapshot(port, gw, ups);
console.log('after quiesce', JSON.stringify(snap));
console.log(snap.held !== 0 || snap.queue.reserved !== 0 || snap.endpoints.some((e) => e.pending) || snap.upstreamOpen.some((n) => n) ? 'LEAK' : 'CLEAN');
await gw.close(100); for (const u of ups) await u.close();
clearTimeout(kill);
