// Types for what the workerd tests take from `cloudflare:test` (the pool's own types need the Workers types, which
// this package does not install).
declare module 'cloudflare:test' {
  export const env: { readonly DETOUR_STATE: import('@detour/cloudflare').StateObjectNamespace };
  export function createExecutionContext(): import('hono').ExecutionContext;
  export function waitOnExecutionContext(context: import('hono').ExecutionContext): Promise<void>;
}
