import { demoModel } from './start-fleet.js';

/** The key callers present to the gateway. Only meaningful on this loopback demo. */
export const gatewayKey = 'gk-demo-local';

/**
 * Router settings shared by the gateway and `createFetch`. The breaker is tuned tighter than the defaults
 * (5 failures, 5 s open) so that it visibly trips and recovers within a run of a few seconds.
 */
const router = {
  breaker: { consecutiveFailures: 3, openMs: 1500, openMultiplier: 2, maxOpenMs: 6000, windowMs: 10_000 },
  maxServerDelayMs: 20_000,
};

/**
 * The endpoint list both Detour clients route over: every upstream serves the demo model, in priority order.
 *
 * @param {import('./start-fleet.js').Fleet} fleet
 */
const endpointsOf = (fleet) =>
  fleet.upstreams.map((upstream, index) => ({
    name: upstream.name,
    baseUrl: upstream.baseUrl,
    apiKey: `sk-demo-${upstream.name}`,
    priority: fleet.plans[index].priority,
    weight: 1,
    models: [demoModel],
  }));

/**
 * The gateway's config file, as JSON would hold it (for `loadConfig`).
 *
 * @param {import('./start-fleet.js').Fleet} fleet
 */
export const gatewayConfigJson = (fleet) => ({
  endpoints: endpointsOf(fleet),
  gatewayKeys: [gatewayKey],
  // Short: at the end of a run nothing is in flight any more, and the demo should not linger.
  shutdownGraceMs: 2000,
  router,
});

/**
 * Options for `@detour/node`'s `createFetch`: the same endpoints and router settings as the gateway.
 *
 * @param {import('./start-fleet.js').Fleet} fleet
 */
export const fetchConfig = (fleet) => ({ endpoints: endpointsOf(fleet), ...router });
