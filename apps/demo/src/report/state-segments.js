/**
 * @typedef {{ fromMs: number, toMs: number, state: 'open' | 'half-open' | 'cooling', detail: string }} Segment
 */

/**
 * Turns one Detour client's router events into time segments per endpoint: when its breaker was open or
 * half-open, and when a provider signal had it cooling. Times are ms since the run started.
 *
 * An open breaker admits a probe only when a request arrives after `openUntil`, and the event for that comes
 * with the request, so an open segment ends at `openUntil` at the latest; the wait until the next request shows as
 * half-open.
 *
 * @param {import('../run-record.js').RecordedEvent[]} events  Events of one source (`gateway` or `createFetch`).
 * @param {string} endpoint
 * @param {number} startedAt  Date.now() at the run's start.
 * @param {number} endMs  Where segments still open at the end are closed.
 * @returns {Segment[]}
 */
export const stateSegments = (events, endpoint, startedAt, endMs) => {
  const segments = [];
  const changes = events.filter((event) => event.type === 'breaker-change' && event.endpoint === endpoint);
  changes.forEach((change, index) => {
    const nextMs = changes[index + 1]?.t ?? endMs;
    if (change.to === 'open') {
      const openUntilMs = Math.min(nextMs, change.openUntil - startedAt);
      segments.push({ fromMs: change.t, toMs: openUntilMs, state: 'open', detail: `open for ${Math.round(change.openUntil - change.at)} ms` });
      if (openUntilMs < nextMs) segments.push({ fromMs: openUntilMs, toMs: nextMs, state: 'half-open', detail: 'waiting for a probe' });
    } else if (change.to === 'half_open') {
      segments.push({ fromMs: change.t, toMs: nextMs, state: 'half-open', detail: 'probing' });
    }
  });
  // Overlapping cooldowns (one per 429) merge into one stretch; the later deadline wins, as in the engine.
  const cooldowns = events
    .filter((event) => event.type === 'cooldown-start' && event.endpoint === endpoint)
    .map((event) => ({ fromMs: event.t, toMs: Math.min(endMs, event.until - startedAt), detail: event.reason }))
    .sort((a, b) => a.fromMs - b.fromMs);
  for (const cooldown of cooldowns) {
    const last = segments.findLast((segment) => segment.state === 'cooling');
    if (last && cooldown.fromMs <= last.toMs) last.toMs = Math.max(last.toMs, cooldown.toMs);
    else segments.push({ ...cooldown, state: 'cooling' });
  }
  return segments;
};
