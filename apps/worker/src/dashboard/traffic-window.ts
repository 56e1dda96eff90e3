import type { RouterEvent } from '@detour/core';
import { emptyHistogram, mergeInto, observe, quantile } from './latency-histogram';
import { createTimeBuckets, otherModels } from './time-buckets';

/** Attempts of one endpoint and model in one time bucket. */
interface AttemptFigures {
  attempts: number;
  successes: number;
  /** Streams of these attempts cut or stalled after their first event (counted as successes then). */
  cut: number;
  latency: number[];
}

/** Requests one endpoint served in one time bucket. */
interface ServedFigures {
  served: number;
  firstByte: number[];
}

/** Traffic figures of one endpoint and model (or of a whole endpoint) over the window. */
export interface TrafficFigures {
  readonly attempts: number;
  /** Attempts that succeeded, less the streams among them cut or stalled later. */
  readonly successes: number;
  /** successes ÷ attempts; null with no attempts. */
  readonly successRate: number | null;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
}

/** What the window holds: attempts per endpoint and model, requests served and time to first byte per endpoint. */
export interface TrafficView {
  readonly windowSeconds: number;
  readonly models: ReadonlyMap<string, ReadonlyMap<string, TrafficFigures>>;
  readonly endpoints: ReadonlyMap<string, TrafficFigures & { readonly served: number; readonly firstByteP50Ms: number | null; readonly firstByteP99Ms: number | null }>;
  readonly served: number;
}

/** Rolling traffic figures over the last minutes, fed by `attempt-end`, `stream-end` and `request-end` events. */
export interface TrafficWindow {
  record(event: RouterEvent): void;
  read(now: number): TrafficView;
}

const separator = '\u0000';
/** Attempts are counted under their model; requests that name none under this. */
const noModel = '(none)';

/**
 * Creates a {@link TrafficWindow}: `buckets` buckets of `bucketMs` (5 minutes of 10-second buckets by default), each
 * with at most 128 endpoint/model series, one `(other models)` series per endpoint past them, and a fixed latency
 * histogram per series, so memory is bounded.
 */
export const createTrafficWindow = ({ bucketMs = 10_000, buckets = 30 } = {}): TrafficWindow => {
  const attempts = createTimeBuckets<AttemptFigures>({
    bucketMs, buckets, maxKeys: 128, overflowKey: `other${separator}${otherModels}`,
    create: () => ({ attempts: 0, successes: 0, cut: 0, latency: emptyHistogram() }),
  });
  const served = createTimeBuckets<ServedFigures>({
    bucketMs, buckets, maxKeys: 128, overflowKey: 'other', create: () => ({ served: 0, firstByte: emptyHistogram() }),
  });
  const windowMs = bucketMs * buckets;
  // An attempt's figures: under its model, and past the bucket's cap under its endpoint's `other`, so the endpoint's
  // figures stay whole. Models of more than 128 characters count as none.
  const attemptFigures = (at: number, endpoint: string, model: string | undefined) =>
    attempts.at(at, `${endpoint}${separator}${model === undefined || model.length > 128 ? noModel : model}`, `${endpoint}${separator}${otherModels}`);
  return {
    record(event) {
      if (event.type === 'attempt-end') {
        // A caller's abort says nothing about the endpoint.
        if (event.kind === 'aborted') return;
        const figures = attemptFigures(event.at, event.endpoint, event.model);
        figures.attempts += 1;
        if (event.kind === 'success') figures.successes += 1;
        observe(figures.latency, event.durationMs);
      } else if (event.type === 'stream-end' && (event.outcome === 'interrupted' || event.outcome === 'stalled')) {
        // Its attempt counted a success at the first event; the cut takes it back (the breaker does the same), so an
        // endpoint that cuts every stream no longer shows 100 % next to an open breaker (attack 20, M2). In the bucket
        // of that success, when the first event came (a long stream is cut minutes later); one already out of the
        // ring is dropped with the success it would take back.
        attemptFigures(event.at - event.durationMs + event.firstByteMs, event.endpoint, event.model).cut += 1;
      } else if (event.type === 'request-end' && event.ok) {
        if (event.endpoint !== undefined) served.at(event.at, event.endpoint).served += 1;
        // Time to first byte under the endpoint that sent it: a rescued stream's came from the one that was cut.
        const sentFirst = event.firstByteEndpoint ?? event.endpoint;
        if (event.firstByteMs !== undefined && sentFirst !== undefined) observe(served.at(event.at, sentFirst).firstByte, event.firstByteMs);
      }
    },
    read(now) {
      const models = new Map<string, Map<string, AttemptFigures>>();
      const byEndpoint = new Map<string, AttemptFigures>();
      for (const [key, figures] of attempts.within(windowMs - bucketMs, now)) {
        // The endpoint's name (from the config) cannot hold the separator; the model (a caller's) is all the rest.
        const cut = key.indexOf(separator);
        const endpoint = key.slice(0, cut);
        const model = key.slice(cut + 1);
        const perModel = models.get(endpoint) ?? new Map<string, AttemptFigures>();
        models.set(endpoint, perModel);
        for (const [into, id] of [[perModel, model], [byEndpoint, endpoint]] as const) {
          const sum = into.get(id) ?? { attempts: 0, successes: 0, cut: 0, latency: emptyHistogram() };
          sum.attempts += figures.attempts;
          sum.successes += figures.successes;
          sum.cut += figures.cut;
          mergeInto(sum.latency, figures.latency);
          into.set(id, sum);
        }
      }
      const servedBy = new Map<string, ServedFigures>();
      let total = 0;
      for (const [endpoint, figures] of served.within(windowMs - bucketMs, now)) {
        const sum = servedBy.get(endpoint) ?? { served: 0, firstByte: emptyHistogram() };
        sum.served += figures.served;
        total += figures.served;
        mergeInto(sum.firstByte, figures.firstByte);
        servedBy.set(endpoint, sum);
      }
      const endpoints = new Map<string, TrafficFigures & { served: number; firstByteP50Ms: number | null; firstByteP99Ms: number | null }>();
      for (const name of new Set([...byEndpoint.keys(), ...servedBy.keys()])) {
        const figures = byEndpoint.get(name) ?? { attempts: 0, successes: 0, cut: 0, latency: emptyHistogram() };
        const servedFigures = servedBy.get(name) ?? { served: 0, firstByte: emptyHistogram() };
        endpoints.set(name, {
          ...toFigures(figures), served: servedFigures.served,
          firstByteP50Ms: quantile(servedFigures.firstByte, 0.5) ?? null, firstByteP99Ms: quantile(servedFigures.firstByte, 0.99) ?? null,
        });
      }
      return {
        windowSeconds: windowMs / 1000,
        models: new Map([...models].map(([endpoint, perModel]) => [endpoint, new Map([...perModel].map(([model, figures]) => [model, toFigures(figures)]))])),
        endpoints,
        served: total,
      };
    },
  };
};

// A stream cut in this window may have started in the one before: never below no successes.
const toFigures = ({ attempts, successes: started, cut, latency }: AttemptFigures): TrafficFigures => {
  const successes = Math.max(0, started - cut);
  return {
    attempts, successes, successRate: attempts === 0 ? null : successes / attempts,
    p50Ms: quantile(latency, 0.5) ?? null, p99Ms: quantile(latency, 0.99) ?? null,
  };
};
