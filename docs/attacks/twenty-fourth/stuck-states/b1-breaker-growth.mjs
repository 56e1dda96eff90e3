// B1: priority tiers, weighted selection. primary (priority 0) fails (500) from 0 to 10 min, recovers, then has a
// short blip (500 for 3 s) at 15 min, healthy after. backup (priority 1) always healthy. Offered 10 rps.
// Measures: time from recovery to primary serving again; open period after the later blip (expect openMs=5 s, not the
// grown 60 s).
import { createRouter, createFakeClock, drive, bins, endpoint, delayedTransport } from './harness.mjs';
const clock = createFakeClock();
const origin = clock.now();
const down = (t) => (t < 10 * 60_000) || (t >= 15 * 60_000 && t < 15 * 60_000 + 3000);
const transport = delayedTransport(clock, (name) => {
  const t = clock.now() - origin;
  if (name === 'primary' && down(t)) return { status: 500, latencyMs: 20, body: { error: { message: 'boom', type: 'server_error' } } };
  return { latencyMs: 50 };
});
const events = [];
const router = createRouter({ endpoints: [endpoint('primary', { priority: 0 }), endpoint('backup', { priority: 1 })] },
  { transport, clock, sleep: clock.sleep, random: () => 0.5 });
router.subscribe((e) => { if (e.type?.includes('breaker')) events.push({ t: (clock.now() - origin) / 1000, ...e }); });
await drive({ clock, router, durationMs: 17 * 60_000, spacingMs: 100, stepMs: 10 });
const callsP = transport.calls.filter((c) => c.endpoint === 'primary').map((c) => (c.at - origin) / 1000);
const gaps = []; for (let i = 1; i < callsP.length; i += 1) if (callsP[i] - callsP[i - 1] > 2) gaps.push([callsP[i - 1], callsP[i]]);
console.log('gaps in calls to primary (s):', gaps.map(([a, b]) => `${a.toFixed(1)}→${b.toFixed(1)} (${(b - a).toFixed(1)})`).join(', '));
const after = callsP.filter((t) => t >= 600); console.log('first call to primary after recovery at 600 s:', after[0]);
const okAfterBlip = transport.calls.filter((c) => c.endpoint === 'primary' && c.at - origin >= 903_000)[0];
console.log('first call to primary after blip ended (903 s):', okAfterBlip && (okAfterBlip.at - origin) / 1000);
console.log('breaker events:', events.slice(-8).map((e) => `${e.t}s ${e.type} ${e.to ?? e.position ?? ''} ${e.openMs ?? e.openUntil ?? ''}`).join(' | '));
process.exit(0);
