// Three @detour/testkit chaos upstreams in the soak's own process, and the schedule that switches their faults on
// and off at seeded random moments. Their reply lengths differ (a short, a medium and a long stream) so the
// gateway meets both tiny answers and streams big enough to fill socket buffers and exercise back-pressure.
import { startChaosUpstream } from '@detour/testkit';
import { describeScript, drawFaultScript } from './fault-menu.mjs';
import { seededRandom } from './seeded-random.mjs';

/** Names and reply lengths in words (one word is one SSE chunk of about 200 bytes). */
export const upstreamShapes = [
  { name: 'alpha', completionTokens: 8 },
  { name: 'bravo', completionTokens: 64 },
  { name: 'charlie', completionTokens: 1000 },
];

/**
 * Starts the three upstreams, healthy.
 * @param {number} seed
 */
export const startUpstreams = async (seed) =>
  Promise.all(
    upstreamShapes.map((shape, index) => startChaosUpstream({ ...shape, seed: seed * 31 + index, script: [] })),
  );

/**
 * Switches faults on and off: each upstream independently, every 2–10 s, draws either health (60 % of the time) or a
 * new fault script. Returns a stop function and the log of switches.
 * @param {import('@detour/testkit').ChaosUpstream[]} upstreams
 * @param {{ seed: number, log: (line: string) => void }} options
 */
export const startFaultSchedule = (upstreams, { seed, log }) => {
  const timers = new Set();
  let switches = 0;
  let stopped = false;
  upstreams.forEach((upstream, index) => {
    const random = seededRandom(seed * 97 + index + 1);
    const next = () => {
      if (stopped) return;
      const rules = random() < 0.6 ? [] : drawFaultScript(random);
      upstream.setScript(rules);
      switches += 1;
      log(`${upstream.name}: ${describeScript(rules)}`);
      const timer = setTimeout(() => {
        timers.delete(timer);
        next();
      }, 2000 + Math.floor(random() * 8000));
      timers.add(timer);
    };
    // The first switch comes after a healthy start, so warm-up sees the gateway's normal path first.
    const first = setTimeout(() => {
      timers.delete(first);
      next();
    }, 3000 + Math.floor(random() * 3000));
    timers.add(first);
  });
  return {
    switches: () => switches,
    /** Stops switching and leaves every upstream healthy, so the drain at the end meets no new faults. */
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const upstream of upstreams) upstream.setScript([]);
    },
  };
};
