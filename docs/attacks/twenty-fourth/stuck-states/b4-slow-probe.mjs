// B4: a single endpoint (or argv[2]=all: two endpoints both tripped) whose answers take argv[3] ms (a long non-streamed
// generation: the answer, and so the probe's verdict, comes only when it is done). It fails (500, fast) until 60 s and
// is healthy after. Offered 2 rps. How long after it is healthy are requests still refused, and how many?
import { createRouter, createFakeClock, drive, bins, endpoint, delayedTransport } from './harness.mjs';
const topo = process.argv[2] ?? 'one';
const latency = Number(process.argv[3] ?? 20000);
const clock = createFakeClock();
const origin = clock.now();
const transport = delayedTransport(clock, () => (clock.now() - origin < 60_000 ? { status: 500, latencyMs: 50, body: { error: { message: 'boom', type: 'server_error' } } } : { latencyMs: latency }));
const endpoints = topo === 'all' ? [endpoint('a'), endpoint('b')] : [endpoint('a')];
const router = createRouter({ endpoints }, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
const events = []; router.subscribe((e) => { if (e.type === 'breaker-change') events.push(`${((clock.now() - origin) / 1000).toFixed(1)}s ${e.endpoint}:${e.to ?? e.position}`); });
const outcomes = await drive({ clock, router, durationMs: 150_000, spacingMs: 500, stepMs: 50 });
const after = outcomes.filter((o) => o.start - origin >= 60_000);
const refused = after.filter((o) => !o.ok);
console.log(`topology=${topo}, generation ${latency} ms: upstream healthy from 60 s`);
console.log(`requests started after 60 s: ${after.length}, refused ${refused.length}, last refused one started at ${refused.length ? ((refused.at(-1).start - origin) / 1000).toFixed(1) : '-'} s; codes ${JSON.stringify([...new Set(refused.map((o) => o.code))])}`);
console.log('breaker events after 55 s:', events.filter((e) => parseFloat(e) >= 55).join(' | '));
process.exit(0);
