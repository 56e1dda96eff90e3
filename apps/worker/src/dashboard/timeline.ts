import type { RouterEvent } from '@detour/core';
import { createRingBuffer } from './ring-buffer';

/** One change an operator should see in order: a breaker moving, a cooldown starting or ending, a failover. */
export interface TimelineEntry {
  readonly at: number;
  readonly kind: 'breaker' | 'cooldown' | 'cooldown-end' | 'failover';
  readonly endpoint: string;
  /** The model a rate limit cools (cooldowns), or the endpoint traffic moved to (failovers). */
  readonly detail: string | undefined;
  /** A sentence a person reads. */
  text: string;
  /** Why (the classification's reason, scrubbed by core); a breaker's opening learns it from the attempt that follows. */
  reason: string | undefined;
  /**
   * The provider's signal behind a cooldown: the status (once its attempt-end arrives) and the header or body field
   * that set the delay (`HTTP 429, retry-after 8 s`), or that none did and Detour's own cooldown applies.
   */
  signal: string | undefined;
  /** How many identical failovers this entry stands for (repeats within {@link coalesceMs} are folded in). */
  count: number;
  readonly until: number | undefined;
}

/** Entries kept: the newest ones, whatever the gateway's uptime. */
const capacity = 200;
/** Identical failovers this close together share an entry, so a storm cannot push breaker changes out. */
const coalesceMs = 10_000;
/** Cooldowns watched for their end; more at once (many models) are left to /healthz. */
const maxWatched = 256;

const formatDelay = (ms: number): string => (ms < 10_000 ? `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s` : `${Math.round(ms / 1000)} s`);

/** The dashboard's timeline: fed by router events, read newest first. */
export interface Timeline {
  record(event: RouterEvent): void;
  /** Adds `cooldown-end` entries for cooldowns over by `now`, then returns every entry, newest first. */
  read(now: number): TimelineEntry[];
  /** The latest cooldown of each endpoint (its reason and signal), for the endpoint table. */
  lastCooldown(endpoint: string): TimelineEntry | undefined;
}

/** Creates a {@link Timeline} holding at most 200 entries. */
export const createTimeline = (): Timeline => {
  const entries = createRingBuffer<TimelineEntry>(capacity);
  // Cooldowns whose end is still to be shown, by endpoint and model; and each endpoint's latest cooldown.
  const watched = new Map<string, TimelineEntry>();
  const latest = new Map<string, TimelineEntry>();
  // A cooldown is decided just before its attempt's `attempt-end`: that event names the provider's status.
  const awaitingSignal = new Map<string, TimelineEntry>();
  // Why a breaker opened. Core reports the opening before the `attempt-end` of the attempt that tripped it, so an
  // opening waits for the next failing `attempt-end` of its endpoint; a stream's cut after its first event comes
  // first (`stream-end`, at the same instant as the opening it causes). Endpoint names come from the configuration,
  // so both maps are as bounded as the endpoints.
  const awaitingReason = new Map<string, TimelineEntry>();
  const lastCut = new Map<string, { at: number; reason: string }>();
  const push = (entry: Omit<TimelineEntry, 'count' | 'signal'> & { signal?: string }): TimelineEntry => {
    const full: TimelineEntry = { signal: undefined, ...entry, count: 1 };
    entries.push(full);
    return full;
  };
  return {
    record(event) {
      switch (event.type) {
        case 'breaker-change': {
          const cut = lastCut.get(event.endpoint);
          const entry = push({
            at: event.at, kind: 'breaker', endpoint: event.endpoint, detail: event.to,
            reason: event.to === 'open' && cut?.at === event.at ? cut.reason : undefined, until: event.to === 'open' ? event.openUntil : undefined,
            text: `Breaker ${event.from.replace('_', '-')} → ${event.to.replace('_', '-')}`,
          });
          if (event.to === 'open' && entry.reason === undefined) awaitingReason.set(event.endpoint, entry);
          else awaitingReason.delete(event.endpoint);
          break;
        }
        case 'cooldown-start': {
          const delay = event.delaySource === undefined ? 'no delay given (Detour default)' : `${event.delaySource} ${formatDelay(event.delayMs ?? 0)}`;
          const entry = push({
            signal: delay, at: event.at, kind: 'cooldown', endpoint: event.endpoint, detail: event.model, reason: event.reason, until: event.until,
            text: `${event.disabled ? 'Disabled' : 'Cooling'}${event.model ? ` (model ${event.model})` : ''} for ${Math.max(0, Math.round((event.until - event.at) / 1000))} s`,
          });
          const key = `${event.endpoint}\u0000${event.model ?? ''}`;
          if (watched.has(key) || watched.size < maxWatched) watched.set(key, entry);
          latest.set(event.endpoint, entry);
          awaitingSignal.set(event.endpoint, entry);
          break;
        }
        case 'stream-end':
          if (event.outcome === 'interrupted' || event.outcome === 'stalled') lastCut.set(event.endpoint, { at: event.at, reason: event.reason ?? `stream ${event.outcome}` });
          break;
        case 'attempt-end': {
          const opened = awaitingReason.get(event.endpoint);
          if (opened !== undefined && event.kind !== 'success' && event.kind !== 'aborted') {
            opened.reason = event.reason;
            awaitingReason.delete(event.endpoint);
          }
          const entry = awaitingSignal.get(event.endpoint);
          if (entry === undefined) break;
          awaitingSignal.delete(event.endpoint);
          entry.signal = `${event.status === undefined ? event.kind : `HTTP ${event.status}`}, ${entry.signal}`;
          break;
        }
        case 'failover': {
          const last = entries.last();
          if (last?.kind === 'failover' && last.endpoint === event.from && last.detail === event.to && last.reason === event.reason && event.at - last.at <= coalesceMs) {
            last.count += 1;
            last.text = `Failover to ${event.to} (×${last.count})`;
            break;
          }
          push({ at: event.at, kind: 'failover', endpoint: event.from, detail: event.to, reason: event.reason, until: undefined, text: `Failover to ${event.to}` });
          break;
        }
        default:
          break;
      }
    },
    read(now) {
      for (const [key, entry] of watched) {
        if (entry.until === undefined || entry.until > now) continue;
        watched.delete(key);
        push({
          at: entry.until, kind: 'cooldown-end', endpoint: entry.endpoint, detail: entry.detail, reason: undefined, until: undefined,
          text: `Cooldown over${entry.detail ? ` (model ${entry.detail})` : ''}: available again`,
        });
      }
      // A cooldown's end is added when seen, after later events: order by time, newest first (ties: latest recorded first).
      return entries.toArray().reverse().sort((left, right) => right.at - left.at);
    },
    lastCooldown: (endpoint) => latest.get(endpoint),
  };
};
