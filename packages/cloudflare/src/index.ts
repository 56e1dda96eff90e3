// @detour/cloudflare: one Durable Object shared by every Worker isolate of a fleet.
export { DetourStateObject, type StateObjectContext } from './detour-state-object';
export {
  createDurableObjectStore, type DurableObjectStore, type DurableObjectStoreOptions, type StateObjectNamespace,
} from './durable-object-store';
