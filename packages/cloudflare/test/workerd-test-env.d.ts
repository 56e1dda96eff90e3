// Types for what the workerd tests take from `cloudflare:test` (the pool's own types need the Workers types, which
// this package does not install).
declare module 'cloudflare:test' {
  export const env: { readonly DETOUR_STATE: import('../src/durable-object-store').StateObjectNamespace };
}
