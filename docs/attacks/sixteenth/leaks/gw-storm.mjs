// Seeded random storm against the Node gateway: upstream and client misbehave at random instants; then quiesce and
// check every counter. usage: node gw-storm.mjs <seed> <requests> <concurrency> [limits]
import { setup, raw, KEY, snapshot, sleep, mulberry, statusOf } from './gw-harness.mjs';
const [seed = 1, total = 300, conc = 30, limits = ''] = process.argv.slice(2);
const kill = setTimeout(() => { console.log('TIMEOUT'); process.exit(2); }, 240000);
const rnd = mulberry(Number(seed));
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
const endpointsExtra = limits ? { a: { limits: { rpm: 40 } }, b: { limits: { rpm: 40 } }, c: { limits: { rpm: 40 } } } : {};
const { ups, gw, port } = await setup({}, {}, endpointsExtra);
const modes = ['ok', 'ok', 'ok', 'err500', 'r429', 'hang', 'slow', 'cutjson', 'streamcut', 'streamhang', 'streamslow'];
const statuses = {};
const whys = {};
const one = async () => {
  const stream = rnd() < 0.5;
  const plan = { a: pick(modes), b: pick(modes), c: pick(modes) };
  const b = JSON.stringify({ model: pick(['m1', 'm2']), messages: [{ role: 'user', content: 'x'.repeat(Math.floor(rnd() * 2000)) }], stream, plan, delay: 5 + Math.floor(rnd() * 60), chunks: 2 + Math.floor(rnd() * 10), ...(rnd() < 0.3 ? { max_tokens: Math.floor(rnd() * 3000) } : {}) });
  const kind = rnd();
  let opts = { headers: { authorization: `Bearer ${KEY}` }, body: b };
  if (kind < 0.25) opts.abortAfterMs = Math.floor(rnd() * 1500);
  else if (kind < 0.32) { opts.sendBytes = Math.floor(rnd() * Buffer.byteLength(b)); if (rnd() < 0.5) opts.abortAfterMs = Math.floor(rnd() * 500); else opts.maxMs = 3000; }
  else if (kind < 0.40) opts.abortAfterBytes = 200 + Math.floor(rnd() * 800);
  else if (kind < 0.43) opts.body = b.slice(0, -3);
  else if (kind < 0.45) opts.headers = { authorization: 'Bearer wrong' };
  else if (kind < 0.47) opts.headers['x-detour-priority'] = pick(['high', 'low']);
  const r = await raw(port, opts);
  const st = statusOf(r.got);
  statuses[st] = (statuses[st] ?? 0) + 1;
  whys[r.why] = (whys[r.why] ?? 0) + 1;
};
let started = 0;
const t0 = Date.now();
await Promise.all(Array.from({ length: Number(conc) }, async () => { while (started < Number(total)) { started++; await one(); } }));
console.log('storm done in', Date.now() - t0, 'ms statuses', JSON.stringify(statuses), 'whys', JSON.stringify(whys));
console.log('upstream served', ups.map((u) => `${u.name}:${u.served}`).join(' '));
await sleep(6000);
const snap = await snapshot(port, gw, ups);
console.log('after quiesce', JSON.stringify(snap));
const bad = snap.held !== 0 || snap.queue?.depth !== 0 || snap.queue?.reserved !== 0 || snap.endpoints.some((e) => e.pending !== 0) || snap.upstreamOpen.some((n) => n !== 0);
console.log(bad ? 'LEAK' : 'CLEAN');
await gw.close(100); for (const u of ups) await u.close();
clearTimeout(kill);
