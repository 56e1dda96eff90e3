import { apiNames, createSecretScrubber, type ApiName, type EndpointHealth, type Router } from '@detour/core';
import { endpointSecrets } from '@detour/core/binding';
import { modelCooldownUntil } from '@detour/core/store';
import { createRegistry, type Registry } from './registry';
import { seriesCache } from './series-cache';

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** Queue waits: from a refill a few milliseconds away up to `admission.maxQueueMs`. */
const queueBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];
/** Estimate ÷ reported tokens: 1 is exact, above 1 an overestimate (safe), below 1 an underestimate. */
const ratioBuckets = [0.25, 0.5, 0.75, 0.9, 1, 1.1, 1.25, 1.5, 2, 4, 8];
const breakerValue = { closed: 0, open: 1, half_open: 2 } as const;
/**
 * Distinct model names, beyond those the config names, given their own label; later ones count as `other`. The
 * config's own (an endpoint's `models`, `fallbacks`) always get theirs: the first names callers send must not take
 * every label from the models the gateway is there for.
 */
const maxModelLabels = 200;
/** Longer model names count as `other`: a label is repeated on every line of its series. */
const maxModelLabelLength = 128;
const otherModel = 'other';
const knownApis: ReadonlySet<string> = new Set(apiNames);
/** The `api` label: one of core's API names (a bounded set), or `other` for paths no API claims. */
const apiLabel = (api: ApiName | undefined): string => (api !== undefined && knownApis.has(api) ? api : 'other');

/** The model names the router's options name: endpoints' public and upstream names, and fallbacks both ways. */
const configuredModels = (options: Router['options']): ReadonlySet<string> => {
  const names = new Set<string>();
  for (const { models } of options.endpoints) {
    if (Array.isArray(models)) for (const name of models) names.add(name);
    else if (models) for (const [name, upstream] of Object.entries(models)) names.add(name).add(upstream);
  }
  for (const [name, fallback] of Object.entries(options.fallbacks ?? {})) {
    names.add(name);
    for (const to of Object.values(fallback)) if (to !== undefined) names.add(to);
  }
  return names;
};

/** The gateway's metrics, fed by router events, rendered as Prometheus text. */
export interface GatewayMetrics {
  /** Renders every metric; gauges read the endpoints' health at this moment. */
  render(): Promise<string>;
  /** Counts a request the gateway refused before routing (auth, size, bad JSON). */
  rejected(reason: string): void;
  dispose(): void;
}

/**
 * Subscribes to a router's events and keeps the gateway's metrics: requests, attempts, retries, failovers, breaker
 * state and cooldown per endpoint, request and first-byte latency, tokens and USD per endpoint and model; requests,
 * their duration, tokens and USD also by API (`chat`, `responses`, `messages`…). Labels carry endpoint, model and API
 * names only: never keys.
 */
export const createGatewayMetrics = (
  router: Router,
  now: () => number,
  /** Adds runtime-specific metrics (the Node entry's process metrics) after the gateway's; returns their cleanup. */
  extend?: (registry: Registry) => () => void,
): GatewayMetrics => {
  const registry = createRegistry();
  // Callers choose model names: past a bound on their number and length, they share one label so nobody can grow
  // the series (or the size of a scrape) without end. A new name is scrubbed once, when first seen.
  const scrub = createSecretScrubber(endpointSecrets(router.options.endpoints));
  const configured = configuredModels(router.options);
  const models = new Map<string, string>();
  let unconfigured = 0;
  const modelLabel = (model: string) => {
    const known = models.get(model);
    if (known !== undefined) return known;
    if (model.length > maxModelLabelLength) return otherModel;
    if (!configured.has(model)) {
      if (unconfigured >= maxModelLabels) return otherModel;
      unconfigured += 1;
    }
    const label = scrub(model);
    models.set(model, label);
    return label;
  };
  const requests = registry.counter('detour_requests_total', 'Requests handled, by outcome (ok, or the error code), whether streamed, and API.');
  const rejections = registry.counter('detour_rejected_requests_total', 'Requests refused before routing, by reason.');
  const attempts = registry.counter('detour_attempts_total', 'Upstream attempts, by endpoint and outcome kind.');
  const retries = registry.counter('detour_retries_total', 'Waits before trying again when no endpoint could take the request at once, by the endpoint whose failure is retried.');
  const failovers = registry.counter('detour_failovers_total', 'Moves from one endpoint to another within a request.');
  const fallbacks = registry.counter('detour_model_fallbacks_total', 'Requests moved to a fallback model (`fallbacks`), by public models and reason.');
  const duration = registry.histogram('detour_request_duration_seconds', 'Whole request time, all attempts and waits included, by whether streamed and API.', latencyBuckets);
  const firstByte = registry.histogram('detour_time_to_first_byte_seconds', 'Time until the served attempt produced its answer (JSON) or first event (streams).', latencyBuckets);
  const attemptDuration = registry.histogram('detour_attempt_duration_seconds', 'Upstream attempt time, by endpoint.', latencyBuckets);
  const tokens = registry.counter(
    'detour_tokens_total',
    'Tokens reported by upstreams, by endpoint, model, type and API. input, cached_input, cache_write (5-minute) and cache_write_1h are disjoint parts of the prompt; reasoning is a part of output.',
  );
  const cost = registry.counter('detour_cost_usd_total', 'USD spent, by endpoint, model, outcome (success; failed: billed work an endpoint cut; abandoned: billed work the caller or the shutdown cut) and API.');
  const streamEnds = registry.counter('detour_stream_ends_total', 'Committed streams by endpoint and how they ended (complete, interrupted, stalled, deadline, diverged, client_closed, client_idle, shutdown); a rescued stream counts once per endpoint that carried it.');
  const streamDuration = registry.histogram('detour_stream_duration_seconds', 'Committed streams from their attempt\'s start to their end, by endpoint (attempt duration stops at the first event).', latencyBuckets);
  const rescues = registry.counter('detour_stream_rescues_total', 'Mid-stream rescues of cut or stalled streams, by mode (continue, replay, none) and outcome (rescued, diverged, failed).');
  const delayed = registry.counter('detour_admissions_delayed_total', 'Requests that waited in the admission queue for quota, by priority.');
  const refused = registry.counter('detour_admissions_refused_total', 'Requests admission refused fast (503 with retry-after), by priority and reason.');
  const queueWait = registry.histogram('detour_queue_wait_seconds', 'Time in the admission queue, by priority and how the wait ended (granted, aborted, timeout).', queueBuckets);
  const estimateError = registry.histogram('detour_token_estimate_ratio', 'Estimated ÷ reported tokens per request, by endpoint and kind (input, total).', ratioBuckets);
  let health: EndpointHealth[] = [];
  registry.gauge('detour_endpoint_quota_remaining', 'What admission believes is left of the endpoint\'s quota, by type (requests, tokens, input-tokens, output-tokens).', () =>
    health.flatMap((entry) => Object.entries(entry.quota).map(([type, value]) => ({ labels: { endpoint: entry.name, type }, value: value ?? 0 }))),
  );
  registry.gauge('detour_queue_depth', 'Requests waiting in the admission queue now, by priority.', () => {
    const depth = router.admission();
    return depth === undefined ? [] : (['high', 'normal', 'low'] as const).map((priority) => ({ labels: { priority }, value: depth[priority] }));
  });
  registry.gauge('detour_breaker_state', 'Circuit breaker per endpoint: 0 closed, 1 open, 2 half-open.', () =>
    health.map((entry) => ({ labels: { endpoint: entry.name }, value: breakerValue[entry.breaker] })),
  );
  registry.gauge('detour_endpoint_cooldown_seconds', 'Seconds until the endpoint is neither cooling nor disabled (0 when available).', () =>
    health.map((entry) => ({ labels: { endpoint: entry.name }, value: Math.max(0, (Math.max(entry.cooldownUntil, entry.disabledUntil) - now()) / 1000) })),
  );
  registry.gauge('detour_model_cooldown_seconds', 'Seconds until a model on the endpoint stops cooling after a rate limit (models cooling now only; `other` shows the longest of the rest).', () => {
    const at = now();
    return health.flatMap((entry) => {
      // Several models can share the `other` label: one series per label, with the longest wait.
      const longest = new Map<string, number>();
      for (const model of Object.keys(entry.modelCooldowns)) {
        const until = modelCooldownUntil(entry.modelCooldowns, model);
        if (until <= at) continue;
        const label = modelLabel(model);
        longest.set(label, Math.max(longest.get(label) ?? 0, until));
      }
      return [...longest].map(([model, until]) => ({ labels: { endpoint: entry.name, model }, value: (until - at) / 1000 }));
    });
  });
  registry.gauge('detour_endpoint_resting_seconds', 'Seconds the endpoint is still passed over after an overload while another can serve (it is not refused requests).', () =>
    health.map((entry) => ({ labels: { endpoint: entry.name }, value: Math.max(0, (entry.restingUntil - now()) / 1000) })),
  );
  registry.gauge('detour_endpoint_available', 'Whether the endpoint takes requests now (1) or not (0).', () =>
    health.map((entry) => ({ labels: { endpoint: entry.name }, value: entry.available ? 1 : 0 })),
  );

  // The series a request touches, bound once per label values: a request's updates allocate nothing.
  const attemptSeries = seriesCache((endpoint, kind) => ({
    count: attempts.series({ endpoint, kind }),
    duration: attemptDuration.series({ endpoint }),
  }));
  const requestSeries = seriesCache((outcome, stream, api) => ({
    count: requests.series({ outcome, stream, api }),
    duration: duration.series({ stream, api }),
  }));
  const firstByteSeries = seriesCache((endpoint) => firstByte.series({ endpoint }));
  const streamEndSeries = seriesCache((endpoint, outcome) => ({ count: streamEnds.series({ endpoint, outcome }), duration: streamDuration.series({ endpoint }) }));
  const retrySeries = seriesCache((endpoint) => retries.series({ endpoint }));
  const usageSeries = seriesCache((endpoint, model, api) => {
    const labels = { endpoint, model };
    return {
      input: tokens.series({ ...labels, type: 'input', api }),
      cachedInput: tokens.series({ ...labels, type: 'cached_input', api }),
      output: tokens.series({ ...labels, type: 'output', api }),
      // Only some providers report these: no series until one does.
      cacheWrite: () => tokens.series({ ...labels, type: 'cache_write', api }),
      cacheWrite1h: () => tokens.series({ ...labels, type: 'cache_write_1h', api }),
      reasoning: () => tokens.series({ ...labels, type: 'reasoning', api }),
      cost: seriesCache((outcome) => cost.series({ ...labels, outcome, api })),
    };
  });
  const estimateSeries = seriesCache((endpoint, kind) => estimateError.series({ endpoint, kind }));

  const subscription = router.subscribe((event) => {
    switch (event.type) {
      case 'attempt-end': {
        const series = attemptSeries(event.endpoint, event.kind);
        series.count.inc();
        series.duration.observe(event.durationMs / 1000);
        break;
      }
      case 'retry-wait':
        // A wait that follows no failure of the request's own retries nothing (core's retry budget does not charge it
        // either): a request holding out for a preferred tier that another's 429 set cooling, before its first
        // attempt, or a rescue before its first. Counted, it was a series with an empty endpoint.
        if (event.endpoint !== undefined) retrySeries(event.endpoint).inc();
        break;
      case 'failover':
        failovers.inc({ from: event.from, to: event.to });
        break;
      case 'model-fallback':
        fallbacks.inc({ from: modelLabel(event.from), to: modelLabel(event.to), reason: event.reason });
        break;
      case 'cost-record': {
        const series = usageSeries(event.endpoint, modelLabel(event.model), apiLabel(event.api));
        if (event.outcome === 'success') {
          const { inputTokens, cachedInputTokens, cacheWriteTokens, cacheWrite1hTokens, outputTokens, reasoningTokens } = event.usage;
          // Disjoint parts of the prompt, so the input types add up to it; `reasoning` is a part of `output`.
          series.input.inc(inputTokens - cachedInputTokens - cacheWriteTokens - cacheWrite1hTokens);
          series.cachedInput.inc(cachedInputTokens);
          series.output.inc(outputTokens);
          if (cacheWriteTokens > 0) series.cacheWrite().inc(cacheWriteTokens);
          if (cacheWrite1hTokens > 0) series.cacheWrite1h().inc(cacheWrite1hTokens);
          if (reasoningTokens > 0) series.reasoning().inc(reasoningTokens);
        }
        if (event.costUsd !== undefined) series.cost(event.outcome).inc(event.costUsd);
        break;
      }
      case 'stream-end': {
        const series = streamEndSeries(event.endpoint, event.outcome);
        series.count.inc();
        series.duration.observe(event.durationMs / 1000);
        break;
      }
      case 'stream-rescue':
        rescues.inc({ mode: event.mode ?? 'none', outcome: event.outcome });
        break;
      case 'admission-queue':
        delayed.inc({ priority: event.priority });
        break;
      case 'admission-dequeue':
        queueWait.observe({ priority: event.priority, exit: event.exit }, event.waitedMs / 1000);
        break;
      case 'admission-refuse':
        refused.inc({ priority: event.priority, reason: event.reason });
        break;
      case 'quota-estimate':
        if (event.inputTokens > 0) estimateSeries(event.endpoint, 'input').observe(event.estimatedInputTokens / event.inputTokens);
        if (event.tokens > 0) estimateSeries(event.endpoint, 'total').observe(event.estimatedTokens / event.tokens);
        break;
      case 'request-end': {
        const series = requestSeries(event.ok ? 'ok' : (event.code ?? 'error'), event.stream ? 'true' : 'false', apiLabel(event.api));
        series.count.inc();
        series.duration.observe(event.durationMs / 1000);
        // Under the endpoint that sent the first byte: a rescued stream's first came from the endpoint that was cut.
        const sentFirst = event.firstByteEndpoint ?? event.endpoint;
        if (event.ok && event.firstByteMs !== undefined && sentFirst) firstByteSeries(sentFirst).observe(event.firstByteMs / 1000);
        break;
      }
      default:
        break;
    }
  });

  const stopExtension = extend?.(registry);

  return {
    async render() {
      health = await router.health();
      return registry.render();
    },
    rejected: (reason) => rejections.inc({ reason }),
    dispose: () => {
      subscription.dispose();
      stopExtension?.();
    },
  };
};
