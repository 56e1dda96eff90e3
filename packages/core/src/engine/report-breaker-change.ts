import type { BreakerPosition, BreakerState } from '../breaker/breaker';
import type { RouterContext } from './router-context';

/** The last breaker transition a router reported per endpoint (endpoints are configured, so the map is bounded). */
export type BreakerReports = Map<string, { readonly generation: number; readonly position: BreakerPosition }>;

/**
 * Emits `breaker-change` when an endpoint's breaker is no longer where this request saw it, once per transition:
 * every failure in flight when a breaker trips comes back to a breaker that has already moved on, and reporting
 * each of them (196 `closed → open` for one burst of 200) would bury the history a dashboard keeps.
 */
export const reportBreakerChange = (
  { emit, breakerReports }: Pick<RouterContext, 'emit' | 'breakerReports'>,
  endpoint: string,
  from: BreakerPosition,
  breaker: BreakerState,
  now: number,
): void => {
  const { position, generation, openUntil } = breaker;
  const reported = breakerReports.get(endpoint);
  // A late result from an older generation answers with the breaker as it is now: reported already, or news.
  if (reported !== undefined && reported.generation > generation) return;
  if (reported !== undefined && reported.generation === generation && reported.position === position) return;
  // From where this router last said it was: a request's own read can be older than another request's report (a slow
  // store), and the reports must chain (attack 23's reviews: `closed → half_open` after `closed → open`; an endpoint
  // left `open` on the dashboard after another member's probe closed it). Back where it last said, in a new
  // generation, the breaker went round a cycle this router did not see (another member closed it, this router's
  // stream tripped it again): from the request's own read.
  const was = reported === undefined || reported.position === position ? from : reported.position;
  if (position === was) return;
  breakerReports.set(endpoint, { generation, position });
  emit(() => ({ type: 'breaker-change', endpoint, from: was, to: position, openUntil, at: now }));
};
