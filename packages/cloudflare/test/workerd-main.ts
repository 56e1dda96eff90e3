// The Worker the workerd tests run beside: it only exports the Durable Object class they bind as DETOUR_STATE.
export { DetourStateObject } from '../src/detour-state-object';

export default {
  fetch: (): Response => new Response('detour state test worker'),
};
