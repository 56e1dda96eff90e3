import type { AdmissionHealth, EndpointHealth, QuotaDimension, Router } from '@detour/core';
import { compareNames } from './compare-names';
import { createCostLedger, type SpendSummary } from './cost-ledger';
import { createTimeline, type TimelineEntry } from './timeline';
import { createTrafficWindow, type TrafficFigures } from './traffic-window';

/** Spend shown on the dashboard: the last hour. */
const dashboardSpendWindowMs = 60 * 60 * 1000;
/** Models listed per endpoint: a page polled every 2 s has no use for thousands of callers' model names. */
export const maxModelsShown = 100;

type Spend = { spendUsd: number; wastedUsd: number };
const noSpend: Spend = Object.freeze({ spendUsd: 0, wastedUsd: 0 });

/** One endpoint as the dashboard shows it. */
export interface DashboardEndpoint {
  readonly name: string;
  readonly priority: number;
  readonly available: boolean;
  readonly breaker: EndpointHealth['breaker'];
  /** `cooling` (a rate limit or overload), `disabled` (quota, auth), else `ready`. */
  readonly state: 'ready' | 'cooling' | 'disabled' | 'open';
  /** When the endpoint is neither cooling nor disabled again (ms since the epoch); null when it is now. */
  readonly cooldownUntil: number | null;
  readonly modelCooldowns: readonly { readonly model: string; readonly until: number }[];
  /**
   * What admission believes is left of the endpoint's quota, per dimension the provider reports (requests, tokens…),
   * and when that dimension is whole again (ms since the epoch; null when it is now). Empty when no quota is known.
   */
  readonly quota: readonly DashboardQuota[];
  /** Why the endpoint is not ready (null when it is). */
  readonly reason: string | null;
  /** The provider's answer behind the latest cooldown (`HTTP 429 rate_limited`), when this instance saw it. */
  readonly signal: string | null;
  readonly pending: number;
  /** Requests this endpoint served in the window, and their share of all served. */
  readonly served: number;
  readonly trafficShare: number | null;
  readonly attempts: number;
  readonly successRate: number | null;
  readonly latencyP50Ms: number | null;
  readonly latencyP99Ms: number | null;
  readonly firstByteP50Ms: number | null;
  readonly firstByteP99Ms: number | null;
  /** The endpoint's busiest {@link maxModelsShown} models (by attempts). */
  readonly models: readonly ({ readonly model: string; readonly spendUsd: number; readonly wastedUsd: number } & TrafficFigures)[];
  /** Models left out of `models`; the endpoint's own figures count them. */
  readonly modelsOmitted: number;
  readonly spendUsd: number;
  readonly wastedUsd: number;
}

/** One quota dimension of an endpoint, as the dashboard shows it. */
export interface DashboardQuota {
  readonly dimension: QuotaDimension;
  /** Whole units left (requests, tokens), rounded down. */
  readonly remaining: number;
  readonly wholeAt: number | null;
}

/** An endpoint's quota figures from `router.health()`, in the order health lists them. */
const quotaOf = (entry: EndpointHealth, at: number): DashboardQuota[] =>
  (Object.entries(entry.quota) as [QuotaDimension, number][]).map(([dimension, remaining]) => {
    const resetMs = entry.quotaResetMs[dimension] ?? 0;
    return { dimension, remaining: Math.max(0, Math.floor(remaining)), wholeAt: resetMs > 0 ? at + resetMs : null };
  });

/** What `/admin/state` answers and the dashboard draws. */
export interface DashboardState {
  readonly now: number;
  /** What the figures cover: on Workers, one isolate's traffic and the shared store's endpoint state. */
  readonly scope: string;
  readonly windowSeconds: number;
  readonly endpoints: readonly DashboardEndpoint[];
  readonly queue: AdmissionHealth | null;
  readonly spend: SpendSummary;
  readonly timeline: readonly TimelineEntry[];
}

/** The dashboard's memory of recent traffic: subscribed to the router while the gateway runs. */
export interface DashboardCollector {
  /** The dashboard's state now, from the router's health and what the collector saw. */
  state(): Promise<DashboardState>;
  /** Spend over the `windowMs` before now. */
  costs(windowMs: number): SpendSummary;
  dispose(): void;
}

const isWorkers = (): boolean => (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === 'Cloudflare-Workers';

/**
 * Subscribes to a router's events (the same ones the metrics read) and keeps a bounded view of the last minutes:
 * traffic and latency per endpoint and model, spend per endpoint, model and gateway key, and a timeline of breaker,
 * cooldown and failover events. Created only when an admin key is configured, so a gateway without one pays nothing.
 */
export const createDashboardCollector = (router: Router, now: () => number): DashboardCollector => {
  const traffic = createTrafficWindow();
  const timeline = createTimeline();
  const ledger = createCostLedger();
  const subscription = router.subscribe((event) => {
    switch (event.type) {
      case 'attempt-end':
        traffic.record(event);
        timeline.record(event);
        break;
      case 'request-end':
        traffic.record(event);
        break;
      case 'stream-end':
        traffic.record(event);
        timeline.record(event);
        break;
      case 'cost-record':
        ledger.record(event);
        break;
      case 'breaker-change':
      case 'cooldown-start':
      case 'failover':
        timeline.record(event);
        break;
      default:
        break;
    }
  });
  return {
    async state() {
      const health = await router.health();
      const at = now();
      const view = traffic.read(at);
      const spend = ledger.summary(dashboardSpendWindowMs, at);
      // Spend per endpoint and model, summed in one pass over the rows (a filter of every row per model was
      // quadratic in the models, and a caller naming thousands of them stalled the gateway on every poll).
      const spendByModel = new Map<string, Map<string, Spend>>();
      for (const row of spend.rows) {
        const perModel = spendByModel.get(row.endpoint) ?? new Map<string, Spend>();
        spendByModel.set(row.endpoint, perModel);
        const sum = perModel.get(row.model) ?? { spendUsd: 0, wastedUsd: 0 };
        sum.spendUsd += row.totalUsd;
        sum.wastedUsd += row.failedUsd;
        perModel.set(row.model, sum);
      }
      const endpointSpend = new Map(spend.byEndpoint.map((row): [string, Spend] => [row.endpoint, { spendUsd: row.totalUsd, wastedUsd: row.failedUsd }]));
      const endpoints = health.map((entry): DashboardEndpoint => {
        const figures = view.endpoints.get(entry.name);
        // Resting after an overload shows as cooling, with `available` still true: it is passed over, not refused.
        const until = Math.max(entry.cooldownUntil, entry.disabledUntil, entry.restingUntil);
        const modelCooldowns = Object.entries(entry.modelCooldowns).filter(([, modelUntil]) => modelUntil > at).map(([model, modelUntil]) => ({ model, until: modelUntil }));
        const cooling = until > at || modelCooldowns.length > 0;
        const latest = timeline.lastCooldown(entry.name);
        const modelSpend = spendByModel.get(entry.name) ?? new Map<string, Spend>();
        const models = [...(view.models.get(entry.name) ?? new Map<string, TrafficFigures>())].map(([model, modelFigures]) => ({ model, ...modelFigures, ...(modelSpend.get(model) ?? noSpend) }));
        // Models that spent in the last hour but had no attempts in the last minutes still show their spend.
        const listed = new Set(models.map((model) => model.model));
        for (const [model, spent] of modelSpend) {
          if (!listed.has(model)) models.push({ model, attempts: 0, successes: 0, successRate: null, p50Ms: null, p99Ms: null, ...spent });
        }
        const state = entry.disabledUntil > at ? 'disabled' : cooling ? 'cooling' : entry.breaker === 'open' ? 'open' : 'ready';
        return {
          name: entry.name, priority: entry.priority, available: entry.available, breaker: entry.breaker, state,
          cooldownUntil: until > at ? until : modelCooldowns.length > 0 ? Math.max(...modelCooldowns.map((cooldown) => cooldown.until)) : null,
          // The store keeps an endpoint's last reason after it recovers: show it only while it explains a state.
          modelCooldowns, quota: quotaOf(entry, at), reason: state === 'ready' ? null : (entry.reason ?? latest?.reason ?? null), signal: cooling ? (latest?.signal ?? null) : null,
          pending: entry.pending, served: figures?.served ?? 0, trafficShare: view.served === 0 ? null : (figures?.served ?? 0) / view.served,
          attempts: figures?.attempts ?? 0, successRate: figures?.successRate ?? null, latencyP50Ms: figures?.p50Ms ?? null, latencyP99Ms: figures?.p99Ms ?? null,
          firstByteP50Ms: figures?.firstByteP50Ms ?? null, firstByteP99Ms: figures?.firstByteP99Ms ?? null,
          models: models.sort((left, right) => right.attempts - left.attempts || compareNames(left.model, right.model)).slice(0, maxModelsShown),
          modelsOmitted: Math.max(0, models.length - maxModelsShown), ...(endpointSpend.get(entry.name) ?? noSpend),
        };
      });
      return {
        now: at,
        scope: isWorkers()
          ? 'This Worker isolate: traffic, latency, spend and timeline are what this isolate served; endpoint state comes from the shared store when one is configured.'
          : 'This gateway process.',
        windowSeconds: view.windowSeconds, endpoints, queue: router.admission() ?? null, spend, timeline: timeline.read(at),
      };
    },
    costs: (windowMs) => ledger.summary(windowMs, now()),
    dispose: () => subscription.dispose(),
  };
};
