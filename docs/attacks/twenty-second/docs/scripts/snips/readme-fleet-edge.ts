import { createFetch, type EndpointInput } from '@detour/edge';
import { createDurableObjectStore } from '@detour/cloudflare';
declare const endpoints: EndpointInput[]; declare const env: { DETOUR_STATE: any };
const f = createFetch({ endpoints, store: createDurableObjectStore({ namespace: env.DETOUR_STATE }) });
