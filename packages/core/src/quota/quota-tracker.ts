import { headroomAfter, inForce, levelAt, msUntilAvailable, msUntilWhole, spendFrom, spendOf, takeFrom, type OwnedQuotaBucket, type QuotaBucket } from './quota-bucket';
import type { QuotaShare } from '../ports/state-store';
import { quotaDimensions, type QuotaDimension, type QuotaObservation } from './read-quota-headers';
import { reserveUnits, type ReserveStep } from './priority-reserve';

/** What a request is expected to spend: one request, and its prompt and output tokens. */
export interface QuotaCost {
  readonly requests: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** What an attempt really spent, as far as anyone knows when it ends. */
export interface QuotaSpend {
  /** The request reached the provider (it answered, or may have counted it): its request is not given back. */
  readonly reached: boolean;
  /** Tokens spent; undefined when unknown (then nothing reserved is given back). */
  readonly inputTokens?: number | undefined;
  readonly outputTokens?: number | undefined;
}

/** A cost taken from an endpoint's quota, to be settled exactly once. */
export interface QuotaReservation {
  readonly id: number;
  readonly endpoint: string;
  readonly model: string | undefined;
  readonly cost: QuotaCost;
  /** Its own response's headers were read: the provider's figures already include it. */
  observed: boolean;
  settled: boolean;
}

/** Configured limits for providers that send no headers. */
export interface ConfiguredLimits {
  readonly rpm?: number | undefined;
  readonly tpm?: number | undefined;
}

/** One endpoint's remaining quota, the tightest of its models, for health views and metrics. */
export type QuotaRemaining = Partial<Record<QuotaDimension, number>>;

/** An endpoint (and the model it is sent) a request may go to. */
export interface QuotaTarget {
  /** The endpoint's configured name. */
  readonly endpoint: string;
  /** The model the request would be sent there as (quota is modelled per endpoint and model); undefined if none. */
  readonly model: string | undefined;
}

/**
 * A what-if copy of the quota model, for planning the admission queue ahead: admissions planned on it take from
 * its own copies of the buckets, never from the model. Each endpoint admits in the order planned (a later plan
 * never fits before an earlier one on the same endpoint), as the queue grants them.
 */
export interface QuotaForecast {
  /**
   * The earliest instant ≥ `at` at which `cost` fits on one of `targets`, taking it there; infinite when never.
   * `reserve`: what it must leave for higher classes, over time (see {@link reserveSteps}); none when omitted.
   */
  admit(targets: readonly QuotaTarget[], cost: QuotaCost, at: number, reserve?: readonly ReserveStep[]): number;
}

/** Options of {@link createQuotaTracker}. */
export interface QuotaTrackerOptions {
  /** Per endpoint name. */
  readonly limits?: ReadonlyMap<string, ConfiguredLimits>;
  /** Providers per endpoint name, for their windows (Groq counts requests per day). */
  readonly providers?: ReadonlyMap<string, string | undefined>;
  /** Bound on modelled (endpoint, model) pairs; the oldest is forgotten past it. @default 1024 */
  readonly maxKeys?: number;
  /** Keep what this instance spends and reads for {@link QuotaTracker.drainReport} (a fleet to tell). @default true */
  readonly reports?: boolean;
}

/**
 * The quota model of every endpoint (and model) one router knows: token buckets fed by providers' headers and
 * configured limits, less what this router's requests in flight have reserved. Pure apart from its own maps: time
 * is always passed in, so it runs on a fake clock.
 */
export interface QuotaTracker {
  /** True once any endpoint has limits or has reported any: until then admission costs nothing. */
  readonly active: boolean;
  /**
   * Milliseconds until `cost` fits on the endpoint: 0 now, infinite never (by itself). `reserveMs`: refill it must
   * leave in every bucket it spends from, for higher classes (see {@link priorityReserveMs}). @defaultValue 0
   */
  waitMs(endpoint: string, model: string | undefined, cost: QuotaCost, now: number, reserveMs?: number): number;
  /** The share of the endpoint's tightest dimension left after `cost`, in [0, 1]; 1 when unknown. */
  headroom(endpoint: string, model: string | undefined, cost: QuotaCost, now: number): number;
  /**
   * {@link QuotaTracker.headroom} when `cost` fits on the endpoint now leaving `reserveMs` (when
   * {@link QuotaTracker.waitMs} is 0), in one pass over its buckets; undefined when it must wait (`waitMs` says how
   * long). What admission asks of every candidate of every request.
   */
  headroomNow(endpoint: string, model: string | undefined, cost: QuotaCost, now: number, reserveMs?: number): number | undefined;
  /** A what-if copy of the model as it is now (reservations included), to plan admissions on. */
  forecast(): QuotaForecast;
  /** Takes `cost` from the endpoint's quota until it is settled. */
  reserve(endpoint: string, model: string | undefined, cost: QuotaCost, now: number): QuotaReservation;
  /**
   * Whether a successful answer's quota headers are worth reading: always while the (endpoint, model) pair has no
   * reading, or its last one left less than half of some dimension; else at most once a millisecond.
   * Under load a provider repeats nearly the same figures on every answer, and this router's own reservations keep
   * the model current between readings; an error answer is always read.
   */
  readingDue(endpoint: string, model: string | undefined, now: number): boolean;
  /**
   * Reads a response's quota headers; `reservation` is the attempt that got the response, if any. `refusal`: the
   * response was a 429, so its figures are believed as they are (they may slow the rate taught, never set or speed it
   * up). Any other answer's reset is doubted where it makes a dimension refill more than ten times slower than
   * believed readings of the same limit taught, unless the doubted reading before it, or the last 429 before its reset
   * passed, said about the same: the bucket then refills at the rate taught. One success that said "none left for 24
   * hours", amid answers that said a minute, refused every request to its endpoint for 12 minutes (attack 24, S5); if
   * the provider really is spent, the next request draws a 429 that says so. @defaultValue false
   */
  observe(endpoint: string, model: string | undefined, observation: QuotaObservation, now: number, reservation?: QuotaReservation, refusal?: boolean): void;
  /** Gives back what the reservation took beyond what was spent. Idempotent: a second call does nothing. */
  settle(reservation: QuotaReservation, spend: QuotaSpend, now: number): void;
  /** Reservations not settled yet. */
  readonly outstanding: number;
  /** Each endpoint's remaining quota at `now`, the tightest of its models. */
  remaining(now: number): Map<string, QuotaRemaining>;
  /**
   * Each endpoint's milliseconds until each dimension is whole again at `now` (0 when it is), the longest of its
   * models: what a provider's reset header says. A reading without a limit holds until its own reset.
   */
  resetsIn(now: number): Map<string, QuotaRemaining>;
  /** Subscribes to "quota came back" (a settle, a refund, a new reading); returns an unsubscribe. */
  onRelease(listener: () => void): () => void;
  /** What this instance spent and read since the last call, per (endpoint, model): its report to the fleet. */
  drainReport(): QuotaShare[];
  /** Something is waiting to be reported. */
  readonly hasNews: boolean;
  /**
   * Folds the fleet's answer in: takes what other instances spent since the last answer from the buckets, and
   * adopts a reading newer than any this instance has. `sent` is the report the answer replies to.
   */
  adoptFleet(answer: readonly QuotaShare[], sent: readonly QuotaShare[], now: number): void;
}

/**
 * A key's buckets, one slot per dimension in {@link quotaDimensions}' order (empty where nothing is known). An array
 * read by index: a record read by each dimension's name in turn made every such read, several per candidate of every
 * request, a megamorphic keyed lookup.
 */
type Buckets = (OwnedQuotaBucket | undefined)[];

/** Slots of {@link Buckets}, one per dimension. */
const dimensionCount = quotaDimensions.length;

/** How many endpoints' fleet shares with no model named a tracker remembers, apart from its `maxKeys` pairs. */
const maxUnnamedShares = 256;

/**
 * A remembered fleet total not heard of for this long makes way for a new pair once the tracker is full: the Redis
 * and Durable Object ledgers drop a pair nobody reported for ten minutes, and answer only what changed, so a pair
 * missing from one answer is no sign it left (attack 23's third review).
 */
const forgetAfterMs = 10 * 60_000;

/**
 * Whether the ledger started a pair again (it dropped it: evicted, idle, restarted): it first heard of it later than it
 * said before. Not when less was spent: refunds lower a running total. A second's slack: a ledger converts the date to
 * the receiver's clock.
 */
const restarted = (share: QuotaShare, remembered: FleetTotal): boolean =>
  share.since !== undefined && remembered.since !== undefined && share.since > remembered.since + 1_000;

/** The fleet's running total of a pair as last heard, when the ledger first heard of it, and when this tracker did. */
interface FleetTotal {
  readonly spent: Partial<Record<QuotaDimension, number>>;
  readonly since: number | undefined;
  readonly heardAt: number;
}

/** Drops the totals not heard of for `forgetAfterMs`, when `totals` is full. */
const forgetStale = (totals: Map<string, FleetTotal>, room: number, now: number): void => {
  if (totals.size < room) return;
  for (const [key, total] of totals) if (now - total.heardAt >= forgetAfterMs) totals.delete(key);
};

const emptyBuckets = (): Buckets => quotaDimensions.map(() => undefined);

/** A {@link QuotaCost} kept as a running total. */
type CostTotal = { -readonly [K in keyof QuotaCost]: number };

interface KeyState {
  readonly endpoint: string;
  buckets: Buckets;
  /** Reservations on this key not settled yet, in the order they were made (so in order of `id`). */
  readonly outstanding: Set<QuotaReservation>;
  /** What `outstanding` costs in all: a reading subtracts what was reserved after it without walking the set. */
  readonly pending: CostTotal;
  /** `[this]`, made once: what {@link statesOf} gives for a key with no other state, on every request. */
  readonly alone: readonly KeyState[];
  /** When the provider's figures were last read into it (observed keys only). */
  readAt: number;
  /** Its last reading left at least half of every dimension: the next answers need not all be read. */
  roomy: boolean;
  /**
   * Per dimension, the refill rate believed readings with a reset taught (0: none yet); see `observe`. Typed: it holds
   * fractions from its first store on, and an array of small integers would change its kind then.
   */
  readonly taught: Float64Array;
  /** Per dimension, the rate the last reading implied when it was doubted; 0 when the last was believed. */
  readonly doubted: Float64Array;
  /** Per dimension, the rate the last 429 implied (0: none): what the provider said when it refused. */
  readonly refused: Float64Array;
  /** Per dimension, when that 429's reset passes: what it said stands until then. */
  readonly refusedUntil: Float64Array;
}

/**
 * How many times slower than believed readings of the same limit taught a dimension may be said to refill before an
 * answer that did not refuse is doubted. A token bucket's readings of one limit move by a few times at most (rounding,
 * a reset read just after a refill); a fixed window's swing by hundreds with its phase, which is why a doubt lasts one
 * reading. The lie attack 24 found (a day, after a minute) was 1,440 times.
 */
const implausibleSlowdown = 10;

/** Whether a rate is within {@link implausibleSlowdown} times of another that is known (not 0). */
const near = (rate: number, other: number): boolean =>
  other > 0 && rate * implausibleSlowdown >= other && rate <= other * implausibleSlowdown;

/**
 * How often, at most, answers of a pair with room left are read ({@link QuotaTracker.readingDue}): at 7,000 answers a
 * second, at most one in seven.
 */
export const readingIntervalMs = 1;

/** A key's state with no buckets and nothing outstanding yet. */
const newKeyState = (endpoint: string, buckets: Buckets): KeyState => {
  const state: { -readonly [K in keyof KeyState]: KeyState[K] } = {
    endpoint, buckets, outstanding: new Set(), pending: { requests: 0, inputTokens: 0, outputTokens: 0 }, alone: [],
    readAt: Number.NEGATIVE_INFINITY, roomy: false, taught: new Float64Array(dimensionCount), doubted: new Float64Array(dimensionCount),
    refused: new Float64Array(dimensionCount), refusedUntil: new Float64Array(dimensionCount),
  };
  state.alone = [state];
  return state;
};

/**
 * Adds a reservation to a key's outstanding ones (`sign` 1), or takes a settled one out (-1), keeping the total;
 * false when there was nothing to do (already in, or not there).
 */
const track = (state: KeyState, reservation: QuotaReservation, sign: 1 | -1): boolean => {
  const { outstanding } = state;
  if (sign === 1) {
    const size = outstanding.size;
    if (outstanding.add(reservation).size === size) return false;
  } else if (!outstanding.delete(reservation)) return false;
  addCost(state.pending, reservation.cost, sign);
  return true;
};

/**
 * Forgets a provider's reading that a request it served has proved wrong: the request spent more of a dimension than
 * the whole limit the reading claimed (providers refuse a request larger than the limit). One reading of a 1-token
 * limit, then answers without headers, otherwise held the endpoint to that limit for as long as it ran. Only spends
 * the provider reported count; the dimension says nothing until the next reading.
 */
const forgetContradicted = (state: KeyState, spend: QuotaSpend): void => {
  if (!spend.reached || spend.inputTokens === undefined || spend.outputTokens === undefined) return;
  const { inputTokens, outputTokens } = spend;
  for (let index = 0; index < dimensionCount; index += 1) {
    const bucket = state.buckets[index];
    if (bucket && unitsIn(1, inputTokens, outputTokens, index) > bucket.capacity) {
      state.buckets[index] = undefined;
      // The pair now lacks a reading of the dimension: the next answer is read.
      state.roomy = false;
    }
  }
};

/**
 * Whether at least half of every dimension the pair has a reading of is left at `now` (not only those the last answer
 * named); nothing left is no room even where no limit says what whole is.
 */
const hasRoom = (buckets: Buckets, now: number): boolean => {
  for (const bucket of buckets) {
    if (!bucket || !inForce(bucket, now)) continue;
    const left = levelAt(bucket, now);
    if (!(left > 0 && left >= bucket.capacity / 2)) return false;
  }
  return true;
};

/** Adds `cost` to a running total (`sign` -1: takes it out). */
const addCost = (total: CostTotal, cost: QuotaCost, sign: 1 | -1): void => {
  total.requests += sign * cost.requests;
  total.inputTokens += sign * cost.inputTokens;
  total.outputTokens += sign * cost.outputTokens;
};

const noKeyStates: readonly KeyState[] = [];

const minuteMs = 60_000;
const dayMs = 86_400_000;

/** What a cost given by its parts spends of one dimension, by its place in {@link quotaDimensions}. */
const unitsIn = (requests: number, inputTokens: number, outputTokens: number, index: number): number =>
  index === 0 ? requests : index === 1 ? inputTokens + outputTokens : index === 2 ? inputTokens : outputTokens;

/** What `cost` spends of one dimension, by its place in {@link quotaDimensions}. */
const costIn = (cost: QuotaCost, index: number): number => unitsIn(cost.requests, cost.inputTokens, cost.outputTokens, index);

/**
 * A bucket with a limit refills by its rate; one without holds what it said until its reset, then lapses. A
 * request that spends from the bucket leaves `reserveMs` of its refill there (a dimension it does not spend is not
 * held back for anyone). A request larger than the bucket waits for it whole, either way (see `msUntilAvailable`):
 * one without a limit, whose size is the most ever seen left, made a request larger than that wait out the reading
 * for nothing (Azure's `remaining` alone: 900 tokens left held a 2,000-token request a minute, then let it go).
 */
const waitFor = (bucket: QuotaBucket, amount: number, now: number, reserveMs = 0): number => {
  const wanted = amount > 0 ? amount + reserveUnits(bucket.ratePerMs, bucket.capacity, reserveMs) : amount;
  if (bucket.until === undefined) return msUntilAvailable(bucket, wanted, now);
  // A reading with a limit refills, and constrains nothing once it lapses.
  if (bucket.ratePerMs > 0) return Math.min(msUntilAvailable(bucket, wanted, now), Math.max(0, bucket.until - now));
  // Nothing ever seen left (`r=0`) is no size: it waits out the reading.
  const needed = bucket.capacity > 0 ? Math.min(wanted, bucket.capacity) : wanted;
  return levelAt(bucket, now) >= needed ? 0 : bucket.until - now;
};

// A key per (endpoint, model); a NUL cannot appear in an endpoint name, so keys never collide.
const joinKey = (endpoint: string, model: string | undefined) => (model === undefined ? endpoint : `${endpoint}\u0000${model}`);

/**
 * Creates the quota model. Headers are authoritative when they come: the bucket is set to what the provider says
 * is left, less reservations made after the reporting request (the provider has counted the earlier ones), and
 * refills linearly so that it is full at the reported reset, as token-bucket providers do. Without a reset it
 * refills over the dimension's window (a minute; a day for Groq's request count). Without a limit,
 * the largest remaining ever seen stands in for it. Configured `limits` are buckets of their own, counted only
 * from this router's reservations. An endpoint must fit in every bucket that applies.
 */
export const createQuotaTracker = ({ limits = new Map(), providers = new Map(), maxKeys = 1024, reports = true }: QuotaTrackerOptions = {}): QuotaTracker => {
  // Configured buckets, per endpoint; observed buckets per (endpoint, model), in a Map (model names are caller input).
  const configured = new Map<string, KeyState>();
  const observed = new Map<string, KeyState>();
  // The key of each (endpoint, model) pair, made once: a request looks its pair up half a dozen times, and a key
  // joined afresh is a new string to flatten and hash each time. Bounded like the rest; past the bound keys are
  // joined per call.
  const keys = new Map<string, Map<string | undefined, string>>();
  let keyCount = 0;
  const keyOf = (endpoint: string, model: string | undefined): string => {
    let byModel = keys.get(endpoint);
    let key = byModel?.get(model);
    if (key !== undefined) return key;
    key = joinKey(endpoint, model);
    if (keyCount < maxKeys) {
      if (!byModel) keys.set(endpoint, (byModel = new Map()));
      byModel.set(model, key);
      keyCount += 1;
    }
    return key;
  };
  const listeners = new Set<() => void>();
  // Every reservation in flight per endpoint, so a pair first reported mid-flight still counts the earlier ones.
  const inFlight = new Map<string, Set<QuotaReservation>>();
  let nextId = 1;
  let outstanding = 0;
  // Fleet sharing: spend and readings not yet reported, the fleet's totals last seen, and each pair's newest reading.
  type Spent = { -readonly [K in QuotaDimension]?: number };
  const unreported = new Map<string, { endpoint: string; model: string | undefined; spent: Spent; reading?: { observation: QuotaObservation; at: number } }>();
  // The fleet's running total of each pair last seen: named pairs (at most `maxKeys`) and each endpoint's share with
  // no model named (at most `maxUnnamedShares`), apart so that neither crowds the other out.
  const fleetTotals = new Map<string, FleetTotal>();
  const fleetTotalsByEndpoint = new Map<string, FleetTotal>();
  const readingAt = new Map<string, number>();
  // Reservations whose spend was reported as their endpoint's (the report was full): refunded there too.
  const folded = new WeakSet<QuotaReservation>();
  /**
   * Adds spend (or a refund, `sign` -1) to the next report under its pair; a new pair only while the report holds
   * fewer than `room` pairs. Returns false when it was not noted.
   */
  const noteSpend = (endpoint: string, model: string | undefined, cost: QuotaCost, sign: number, reading?: { observation: QuotaObservation; at: number }, room = maxKeys): boolean => {
    if (!reports) return false;
    const key = keyOf(endpoint, model);
    let entry = unreported.get(key);
    if (!entry) {
      if (unreported.size >= room && model !== undefined) return false;
      entry = { endpoint, model, spent: {} };
      unreported.set(key, entry);
    }
    for (let index = 0; index < dimensionCount; index += 1) {
      const amount = costIn(cost, index) * sign;
      const dimension = quotaDimensions[index]!;
      if (amount !== 0) entry.spent[dimension] = (entry.spent[dimension] ?? 0) + amount;
    }
    if (reading) entry.reading = reading;
    return true;
  };
  const noCost: QuotaCost = { requests: 0, inputTokens: 0, outputTokens: 0 };

  for (const [endpoint, { rpm, tpm }] of limits) {
    const buckets = emptyBuckets();
    if (rpm !== undefined) buckets[0] = { capacity: rpm, level: rpm, ratePerMs: rpm / minuteMs, at: 0, until: undefined };
    if (tpm !== undefined) buckets[1] = { capacity: tpm, level: tpm, ratePerMs: tpm / minuteMs, at: 0, until: undefined };
    if (rpm !== undefined || tpm !== undefined) configured.set(endpoint, newKeyState(endpoint, buckets));
  }

  /** One figure per endpoint and dimension, folded over its buckets (configured and per model) in force at `now`. */
  const perEndpoint = (now: number, figure: (bucket: QuotaBucket) => number, fold: (left: number, right: number) => number) => {
    const result = new Map<string, QuotaRemaining>();
    for (const state of [...configured.values(), ...observed.values()]) {
      const entry: { -readonly [K in QuotaDimension]?: number } = result.get(state.endpoint) ?? {};
      for (let index = 0; index < dimensionCount; index += 1) {
        const bucket = state.buckets[index];
        const dimension = quotaDimensions[index]!;
        if (bucket && inForce(bucket, now)) {
          const value = figure(bucket);
          entry[dimension] = entry[dimension] === undefined ? value : fold(entry[dimension], value);
        }
      }
      result.set(state.endpoint, entry);
    }
    return result;
  };

  const release = () => {
    for (const listener of listeners) {
      try {
        listener();
      } catch {
        // A listener's bug must not break a request's settle.
      }
    }
  };

  const statesOf = (endpoint: string, model: string | undefined): readonly KeyState[] => {
    const own = configured.get(endpoint);
    const byModel = observed.size > 0 ? observed.get(keyOf(endpoint, model)) : undefined;
    if (!own) return byModel ? byModel.alone : noKeyStates;
    return byModel ? [own, byModel] : own.alone;
  };

  const windowOf = (endpoint: string, dimension: QuotaDimension) => {
    const provider = providers.get(endpoint);
    return dimension === 'requests' && provider === 'groq' ? dayMs : minuteMs;
  };

  const observeAt = (
    endpoint: string, model: string | undefined, observation: QuotaObservation, now: number,
    reservation: QuotaReservation | undefined, fromFleet: boolean, refusal = false,
  ): void => {
    if (observation.requests === undefined && observation.tokens === undefined && observation['input-tokens'] === undefined && observation['output-tokens'] === undefined) return;
    const key = keyOf(endpoint, model);
    let state = observed.get(key);
    if (state) {
      // Kept in order of the last reading, so that the bound below forgets the pair read longest ago: a busy model
      // first read at start-up must not be the first to go when a flood of new names fills the map.
      observed.delete(key);
      observed.set(key, state);
    } else {
      // Bounded: the pair read longest ago is forgotten (its endpoint then admits as if unknown until it reports).
      if (observed.size >= maxKeys) {
        const oldest = observed.keys().next().value;
        if (oldest !== undefined) observed.delete(oldest);
      }
      state = newKeyState(endpoint, emptyBuckets());
      observed.set(key, state);
      // Reservations made before the pair was known count against it too.
      for (const earlier of inFlight.get(endpoint) ?? []) if (earlier.model === model) track(state, earlier, 1);
    }
    // Requests made after the reporting one reached the provider later: not in its figures yet. The set is in
    // order of reservation, and the reporting one is usually among the oldest: what came up to it is a short walk,
    // and the rest is the total less that.
    let upTo: QuotaCost = noCost;
    if (reservation !== undefined) {
      const walked: CostTotal = { requests: 0, inputTokens: 0, outputTokens: 0 };
      for (const other of state.outstanding) {
        if (other.id > reservation.id) break;
        addCost(walked, other.cost, 1);
      }
      upTo = walked;
    }
    let freed = false;
    // What the fleet is told: the observation as believed (a doubted reset made the one the rate taught).
    let believed = observation;
    for (let index = 0; index < dimensionCount; index += 1) {
      const dimension = quotaDimensions[index]!;
      const reading = observation[dimension];
      if (reading === undefined) continue;
      // No provider's window is longer than a day: a later reset is a lie or a misreading, and believed it would
      // hold the endpoint shut for as long as it says (one answer with `reset: 999999h` closed it for 100 hours).
      // The same bound as every other signal's delay.
      const resetMs = reading.resetMs === undefined ? undefined : Math.min(reading.resetMs, dayMs);
      const previous = state.buckets[index];
      const capacity = reading.limit ?? Math.max(previous?.capacity ?? 0, reading.remaining);
      let ratePerMs: number;
      if (reading.limit === undefined) {
        ratePerMs = 0;
      } else if (resetMs !== undefined && resetMs > 0 && capacity > reading.remaining) {
        ratePerMs = (capacity - reading.remaining) / resetMs;
        // A limit refills in the window it has: a reading that puts the same limit's refill many times further away
        // than believed readings taught is doubted (see `observe`), unless it refused the request, or says about what
        // the doubted reading before it said, or the last 429 before its reset passed (a window that really changed,
        // or a taught rate that was wrong: a doubt lasts one reading of the rate, never for good).
        const taught = state.taught[index]!;
        const sameLimit = previous?.capacity === capacity;
        if (fromFleet) {
          // Another member's reading, as it believed it: taken as it is, and no lesson of this member's own.
        } else if (!refusal && taught > 0 && sameLimit && ratePerMs * implausibleSlowdown < taught
          && !near(ratePerMs, state.doubted[index]!) && !(now < state.refusedUntil[index]! && near(ratePerMs, state.refused[index]!))) {
          state.doubted[index] = ratePerMs;
          ratePerMs = taught;
          believed = { ...believed, [dimension]: { remaining: reading.remaining, limit: reading.limit, resetMs: Math.ceil((capacity - reading.remaining) / taught) } };
        } else if (refusal) {
          // A 429's reset may be the time until one request is back (as a fixed window's late reading is), far
          // sooner than the limit is whole: it may slow the rate taught, and never teaches one of its own (a first
          // 429 that said "back in 100 ms" made every truthful answer after it doubted).
          state.refused[index] = ratePerMs;
          state.refusedUntil[index] = now + resetMs;
          state.taught[index] = sameLimit ? Math.min(taught, ratePerMs) : 0;
        } else {
          state.doubted[index] = 0;
          state.taught[index] = ratePerMs;
        }
      } else if (previous !== undefined && previous.ratePerMs > 0) {
        // The window the last reading taught (its limit over its rate, at most a day), not its rate: kept as a rate, a
        // limit of 2 a day read before a limit of 1,000,000 made that bucket take a million days to refill, and a
        // window reset to a minute guess on every change admitted a daily limit that jitters 700 times too fast.
        ratePerMs = capacity / Math.min(previous.capacity / previous.ratePerMs, dayMs);
      } else {
        ratePerMs = capacity / windowOf(endpoint, dimension);
      }
      // And no bucket takes longer than a day to refill whole, as no reset is believed beyond one.
      if (reading.limit !== undefined) ratePerMs = Math.max(ratePerMs, capacity / dayMs);
      const later = costIn(state.pending, index) - costIn(upTo, index);
      const level = Math.min(capacity, reading.remaining) - later;
      if (previous === undefined || level > levelAt(previous, now)) freed = true;
      // Without a limit the reading holds until its reset (or a window), then says nothing. With one, until a whole
      // window after the bucket would be whole again: answers that carry the figures renew it long before (each is
      // read while the bucket is less than half full, else once a millisecond), and a provider whose answers stopped
      // carrying them, or that sent one reading (a 429's) and none since, no longer has its endpoint held to that
      // limit for good (attack 24: one 429 of a 60 rpm limit refused two requests in three for hours after the
      // provider raised it).
      const until = reading.limit !== undefined && ratePerMs > 0
        ? now + Math.min(dayMs, Math.max(0, capacity - level) / ratePerMs + capacity / ratePerMs)
        : now + (resetMs ?? windowOf(endpoint, dimension));
      state.buckets[index] = { capacity, level, ratePerMs, at: now, until };
    }
    if (now >= state.readAt) [state.readAt, state.roomy] = [now, hasRoom(state.buckets, now)];
    if (reservation && reservation.endpoint === endpoint) reservation.observed = true;
    if (reports && now > (readingAt.get(key) ?? Number.NEGATIVE_INFINITY)) {
      if (readingAt.size >= maxKeys && !readingAt.has(key)) readingAt.delete(readingAt.keys().next().value!);
      readingAt.set(key, now);
      if (!fromFleet) noteSpend(endpoint, model, noCost, 1, { observation: believed, at: now });
    }
    if (freed) release();
  };

  /**
   * The share of the pair's tightest dimension left after `cost`; with `reserveMs`, undefined as soon as a bucket
   * cannot take `cost` now leaving that much (one pass for admission's fit and weight).
   */
  const shareLeft = (endpoint: string, model: string | undefined, cost: QuotaCost, now: number, reserveMs: number | undefined): number | undefined => {
    let share = 1;
    for (const state of statesOf(endpoint, model)) {
      for (let index = 0; index < dimensionCount; index += 1) {
        const bucket = state.buckets[index];
        if (!bucket || !inForce(bucket, now)) continue;
        const amount = costIn(cost, index);
        if (reserveMs !== undefined && waitFor(bucket, amount, now, reserveMs) > 0) return undefined;
        share = Math.min(share, headroomAfter(bucket, amount, now));
      }
    }
    return share;
  };

  return {
    get active() {
      return configured.size > 0 || observed.size > 0;
    },
    get outstanding() {
      return outstanding;
    },
    get hasNews() {
      return unreported.size > 0;
    },
    waitMs(endpoint, model, cost, now, reserveMs = 0) {
      let wait = 0;
      for (const state of statesOf(endpoint, model)) {
        for (let index = 0; index < dimensionCount; index += 1) {
          const bucket = state.buckets[index];
          if (bucket && inForce(bucket, now)) wait = Math.max(wait, waitFor(bucket, costIn(cost, index), now, reserveMs));
        }
      }
      return wait;
    },
    headroom: (endpoint, model, cost, now) => shareLeft(endpoint, model, cost, now, undefined)!,
    headroomNow: (endpoint, model, cost, now, reserveMs = 0) => shareLeft(endpoint, model, cost, now, reserveMs),
    forecast() {
      // Copy-on-write: only the buckets a plan touches are copied, each once, then changed in place.
      const copies = new Map<KeyState, Buckets>();
      const bucketsOf = (state: KeyState): readonly (QuotaBucket | undefined)[] => copies.get(state) ?? state.buckets;
      const ownCopy = (state: KeyState) => {
        let copy = copies.get(state);
        if (!copy) {
          copy = state.buckets.map((bucket) => (bucket ? { ...bucket } : undefined));
          copies.set(state, copy);
        }
        return copy;
      };
      const states = new Map<string, readonly KeyState[]>();
      const statesFor = (endpoint: string, model: string | undefined) => {
        const key = keyOf(endpoint, model);
        let found = states.get(key);
        if (!found) states.set(key, (found = statesOf(endpoint, model)));
        return found;
      };
      /** When `cost` fits on the target leaving `reserveMs`, planned after everything already planned there. */
      const fitsWith = (targetStates: readonly KeyState[], cost: QuotaCost, at: number, reserveMs: number) => {
        let when = at;
        for (const state of targetStates) {
          const buckets = bucketsOf(state);
          for (let index = 0; index < dimensionCount; index += 1) {
            const bucket = buckets[index];
            if (!bucket) continue;
            const from = Math.max(at, bucket.at);
            if (inForce(bucket, from)) when = Math.max(when, from + waitFor(bucket, costIn(cost, index), from, reserveMs));
            // Lapsed after what is planned on it: it constrains nothing from its lapse on, and held until then.
            else when = Math.max(when, Math.min(from, bucket.until!));
          }
        }
        return when;
      };
      /**
       * The same with a reserve that falls over time: the first step whose reserve is met before the next step
       * starts (buckets only fill while nothing else is planned, so a later step can only come later). Infinite: never.
       */
      const fitsAt = (targetStates: readonly KeyState[], cost: QuotaCost, at: number, reserve: readonly ReserveStep[]) => {
        if (reserve.length === 0) return fitsWith(targetStates, cost, at, 0);
        for (let index = 0; index < reserve.length; index += 1) {
          const next = reserve[index + 1];
          if (next !== undefined && next.from <= at) continue;
          const when = fitsWith(targetStates, cost, Math.max(at, reserve[index]!.from), reserve[index]!.reserveMs);
          if (next === undefined || when <= next.from) return when;
        }
        return Number.POSITIVE_INFINITY;
      };
      return {
        admit(targets, cost, at, reserve = []) {
          let best: readonly KeyState[] | undefined;
          let bestAt = Number.POSITIVE_INFINITY;
          for (const target of targets) {
            const targetStates = statesFor(target.endpoint, target.model);
            const when = fitsAt(targetStates, cost, at, reserve);
            if (when < bestAt) [best, bestAt] = [targetStates, when];
          }
          if (!best || !Number.isFinite(bestAt)) return Number.POSITIVE_INFINITY;
          for (const state of best) {
            const copy = ownCopy(state);
            for (let index = 0; index < dimensionCount; index += 1) {
              const bucket = copy[index];
              if (!bucket) continue;
              bucket.level = Math.min(bucket.capacity, levelAt(bucket, bestAt) - spendOf(bucket, costIn(cost, index)));
              bucket.at = Math.max(bestAt, bucket.at);
            }
          }
          return bestAt;
        },
      };
    },
    reserve(endpoint, model, cost, now) {
      const reservation: QuotaReservation = { id: nextId++, endpoint, model, cost, observed: false, settled: false };
      outstanding += 1;
      let ofEndpoint = inFlight.get(endpoint);
      if (!ofEndpoint) inFlight.set(endpoint, (ofEndpoint = new Set()));
      ofEndpoint.add(reservation);
      // Full: a new pair's spend still reaches the fleet, as its endpoint's with no model named, which every member
      // charges to the endpoint's configured limits (and its unnamed pair's; a model's own buckets miss it). Dropped,
      // a caller who named a thousand models a sync hid the fleet's real spend from every other member (attack 23).
      // At most one such entry per endpoint past the bound.
      if (reports && !noteSpend(endpoint, model, cost, 1)) {
        noteSpend(endpoint, undefined, cost, 1);
        folded.add(reservation);
      }
      for (const state of statesOf(endpoint, model)) {
        for (let index = 0; index < dimensionCount; index += 1) {
          const bucket = state.buckets[index];
          if (bucket) spendFrom(bucket, costIn(cost, index), now);
        }
        track(state, reservation, 1);
      }
      return reservation;
    },
    readingDue(endpoint, model, now) {
      const state = observed.size > 0 ? observed.get(keyOf(endpoint, model)) : undefined;
      if (state === undefined || !state.roomy) return true;
      const since = now - state.readAt;
      // A clock stepped back (the system clock is wall time) makes every answer due until it passes the last reading.
      return since >= readingIntervalMs || since < 0;
    },
    observe(endpoint, model, observation, now, reservation, refusal = false) {
      observeAt(endpoint, model, observation, now, reservation, false, refusal);
    },
    drainReport() {
      const report = [...unreported.values()];
      unreported.clear();
      return report;
    },
    adoptFleet(answer, sent, now) {
      const own = new Map(sent.map((share) => [keyOf(share.endpoint, share.model), share.spent]));
      forgetStale(fleetTotals, maxKeys, now);
      forgetStale(fleetTotalsByEndpoint, maxUnnamedShares, now);
      for (const share of answer) {
        // An endpoint's share with no model named carries what its members could not report by pair (`noteSpend`):
        // remembered apart from the pairs, so that a caller who named a thousand models cannot push it out of reach.
        const totals = share.model === undefined ? fleetTotalsByEndpoint : fleetTotals;
        const key = keyOf(share.endpoint, share.model);
        const remembered = totals.get(key);
        // Started again by the ledger: counted as new, from zero.
        const known = remembered === undefined || restarted(share, remembered) ? undefined : remembered.spent;
        // A share it cannot remember is left alone: charged, it would be charged again at every exchange (a flood of
        // model names drained the endpoint's buckets on every member), where left alone the provider's own answers
        // still tell. Room comes back as totals go unheard of (`forgetAfterMs`).
        if (!remembered && totals.size >= (totals === fleetTotals ? maxKeys : maxUnnamedShares)) continue;
        const before = known ?? {};
        totals.set(key, { spent: { ...share.spent }, since: share.since, heardAt: now });
        // What the others spent since the last answer. The first time, the running total is all there is: the part
        // of it that falls in one window, spread evenly since the ledger first heard of the pair (all of it without
        // that date, or for a pair younger than a window): conservative, and clamped so that a long history only
        // empties the bucket, never digs it deeper than empty. Counted whole, a fleet's hours of steady spend
        // emptied every new instance's bucket (a new Worker isolate was served 1 request of 5 a 10 rpm limit had).
        const age = known || share.since === undefined ? 0 : now - share.since;
        const mine = own.get(key) ?? {};
        for (const state of statesOf(share.endpoint, share.model)) {
          for (let index = 0; index < dimensionCount; index += 1) {
            const bucket = state.buckets[index];
            const dimension = quotaDimensions[index]!;
            const inWindow = age > 0 ? Math.min(1, windowOf(share.endpoint, dimension) / age) : 1;
            const amount = Math.max(0, ((share.spent[dimension] ?? 0) - (mine[dimension] ?? 0)) * inWindow - (before[dimension] ?? 0));
            if (!bucket || amount <= 0) continue;
            const next = takeFrom(bucket, amount, now);
            state.buckets[index] = next.level >= 0 ? next : { ...next, level: Math.min(0, levelAt(bucket, now)) };
          }
        }
        const reading = share.reading;
        if (reading && reading.at > (readingAt.get(key) ?? Number.NEGATIVE_INFINITY) && reading.at <= now) {
          // Each member reports the reading as it believed it (a doubted reset made the one its rate taught), and
          // readings carry no word of the answer they came with: a 429's, weighed here, would be doubted.
          observeAt(share.endpoint, share.model, reading.observation, reading.at, undefined, true);
        }
      }
    },
    settle(reservation, spend, now) {
      if (reservation.settled) return;
      reservation.settled = true;
      outstanding -= 1;
      const refund: QuotaCost = {
        requests: spend.reached ? 0 : reservation.cost.requests,
        inputTokens: !spend.reached ? reservation.cost.inputTokens : spend.inputTokens === undefined ? 0 : reservation.cost.inputTokens - spend.inputTokens,
        outputTokens: !spend.reached ? reservation.cost.outputTokens : spend.outputTokens === undefined ? 0 : reservation.cost.outputTokens - spend.outputTokens,
      };
      // Where its spend went: a refund elsewhere would leave the fleet counting it. Past twice the bound a refund is
      // dropped, and the fleet counts the reservation whole (too much, never too little).
      if (reports) noteSpend(reservation.endpoint, folded.has(reservation) ? undefined : reservation.model, refund, -1, undefined, 2 * maxKeys);
      const ofEndpoint = inFlight.get(reservation.endpoint);
      ofEndpoint?.delete(reservation);
      if (ofEndpoint?.size === 0) inFlight.delete(reservation.endpoint);
      for (const state of statesOf(reservation.endpoint, reservation.model)) {
        // Only buckets the reservation was taken from (or counted in) get anything back.
        if (!track(state, reservation, -1)) continue;
        const fromProvider = state !== configured.get(reservation.endpoint);
        if (fromProvider) forgetContradicted(state, spend);
        // The provider's own figures already tell what this request spent: only configured buckets are ours to fix.
        if (reservation.observed && fromProvider) continue;
        for (let index = 0; index < dimensionCount; index += 1) {
          const bucket = state.buckets[index];
          if (!bucket) continue;
          // Charged at most the bucket (`spendOf`), so given back at most what that charge exceeded the real spend by:
          // an oversized reservation refunded whole erased other requests' spend and cost nothing net.
          const reserved = costIn(reservation.cost, index);
          const given = spendOf(bucket, reserved) - spendOf(bucket, reserved - costIn(refund, index));
          spendFrom(bucket, -given, now);
        }
      }
      release();
    },
    // The tightest of an endpoint's models: what is left is the least left anywhere, the reset the latest one.
    remaining: (now) => perEndpoint(now, (bucket) => Math.max(0, Math.floor(levelAt(bucket, now))), Math.min),
    resetsIn: (now) => perEndpoint(now, (bucket) => msUntilWhole(bucket, now), Math.max),
    onRelease(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
};
