// Open-loop load at a fixed rate: request i leaves at start + i / rate whatever happened to earlier ones, so a
// gateway that slows down meets a growing queue rather than a politely slower client. Every exchange carries its
// own bound, so waiting for the stragglers at the end is bounded too.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { exchange } from './client/exchange.mjs';
import { buildRequest, drawKind } from './client/request-kinds.mjs';
import { seededRandom } from './seeded-random.mjs';

/**
 * Sends the mixed load for `durationMs`, then waits (at most the longest bound more) for every answer.
 * @param {{ url: string, key: string, rate: number, durationMs: number, boundMs: number, idleBoundMs: number, seed: number,
 *   replyWords: Record<string, number>, onResult: (result: object) => void }} options
 */
export const driveLoad = async ({ url, key, rate, durationMs, boundMs, idleBoundMs, seed, replyWords, onResult }) => {
  const random = seededRandom(seed * 7919 + 17);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const client = { url, key, boundMs, idleBoundMs, replyWords, agent, longestReply: Math.max(...Object.values(replyWords)) + 4 };
  const inFlight = new Set();
  let sent = 0;
  let maxLatenessMs = 0;
  const startedAt = performance.now();
  await new Promise((resolve) => {
    const tick = setInterval(() => {
      const elapsed = performance.now() - startedAt;
      const due = Math.min(Math.floor((elapsed * rate) / 1000), Math.floor((durationMs * rate) / 1000));
      // How late the client itself is against its schedule: a busy machine, not the gateway, when it is large.
      if (due > sent) maxLatenessMs = Math.max(maxLatenessMs, elapsed - (sent * 1000) / rate);
      while (sent < due) {
        sent += 1;
        const kind = drawKind(random);
        const pending = exchange(client, kind, buildRequest(kind, random, sent)).then((result) => {
          inFlight.delete(pending);
          onResult(result);
        });
        inFlight.add(pending);
      }
      if (elapsed >= durationMs) {
        clearInterval(tick);
        resolve();
      }
    }, 5);
  });
  // Each exchange settles by its own bound; this outer bound only guards against a bug in the client.
  const longestBoundMs = boundMs + 50 * client.longestReply;
  await Promise.race([Promise.all(inFlight), new Promise((resolve) => setTimeout(resolve, longestBoundMs + 10_000).unref())]);
  const unsettled = inFlight.size;
  agent.destroy();
  return { sent, unsettled, maxLatenessMs };
};
