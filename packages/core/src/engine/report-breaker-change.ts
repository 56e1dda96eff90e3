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
  if (position === from) return;
  const reported = breakerReports.get(endpoint);
  if (reported !== undefined && reported.generation === generation && reported.position === position) return;
  // A late result from an older generation answers with the breaker as it is now: reported already, or news.
  if (reported !== undefined && reported.generation > generation) return;
  breakerReports.set(endpoint, { generation, position });
  emit(() => ({ type: 'breaker-change', endpoint, from, to: position, openUntil, at: now }));
};
