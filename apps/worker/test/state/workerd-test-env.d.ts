// Types for the bindings the workerd tests get from `cloudflare:test` (the pool's own types need the Workers types,
// which this package does not install).
declare module 'cloudflare:test' {
  export const env: { readonly DETOUR_STATE: import('../../src/state/durable-object-store').StateObjectNamespace };
}
