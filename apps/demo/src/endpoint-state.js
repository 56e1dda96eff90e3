/**
 * @typedef {'closed' | 'open' | 'half-open' | 'cooling'} EndpointStateName
 * @typedef {{ name: EndpointStateName, secondsLeft: number | undefined }} EndpointState
 */

/**
 * What one endpoint is doing, in the words the live view uses: its breaker's position, or `cooling` when the
 * breaker is closed but a provider signal (Retry-After, a reset header) put the endpoint or its model on hold.
 *
 * @param {import('@detour/core').EndpointHealth} health
 * @param {number} now  Date.now()
 * @returns {EndpointState}
 */
export const endpointState = (health, now) => {
  const secondsUntil = (until) => Math.max(0, (until - now) / 1000);
  if (health.breaker === 'open') return { name: 'open', secondsLeft: secondsUntil(health.breakerOpenUntil) };
  if (health.breaker === 'half_open') return { name: 'half-open', secondsLeft: undefined };
  // A 429 usually cools the one model it named, not the whole endpoint, so model cooldowns count too.
  const coolingUntil = Math.max(health.cooldownUntil, health.disabledUntil, ...Object.values(health.modelCooldowns));
  if (coolingUntil > now) return { name: 'cooling', secondsLeft: secondsUntil(coolingUntil) };
  return { name: 'closed', secondsLeft: undefined };
};
