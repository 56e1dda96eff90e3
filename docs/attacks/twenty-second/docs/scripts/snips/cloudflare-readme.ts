import { createFetch } from '@detour/edge';
import { createDurableObjectStore, DetourStateObject, type StateObjectNamespace } from '@detour/cloudflare';
export { DetourStateObject };
interface Env { DETOUR_STATE: StateObjectNamespace; OPENAI_API_KEY: string }
export default {
  async fetch(request: Request, env: Env, context: { waitUntil(promise: Promise<unknown>): void }): Promise<Response> {
    const store = createDurableObjectStore({ namespace: env.DETOUR_STATE, waitUntil: (promise) => context.waitUntil(promise) });
    const fetch = createFetch({ endpoints: [{ name: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: env.OPENAI_API_KEY }], store });
    return fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
  },
};
declare const env: Env;
const s = createDurableObjectStore({ namespace: env.DETOUR_STATE, name: 'detour', refreshMs: 1000, log: console.warn });
