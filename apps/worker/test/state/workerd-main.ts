// The Worker the workerd tests run beside: it only exports the Durable Object class they bind as DETOUR_STATE.
export { DetourStateObject } from '@detour/cloudflare';

export default {
  fetch: (): Response => new Response('detour state test worker'),
};
