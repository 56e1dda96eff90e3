// Types for what the workerd tests take from `cloudflare:test` (the pool's own types need the Workers types, which
// this package does not install).
declare module 'cloudflare:test' {
  export const env: { readonly DETOUR_STATE: import('../src/durable-object-store').StateObjectNamespace };
  /** Runs `run` inside the object behind `stub`, with its state (the parts the tests use). */
  export function runInDurableObject<T>(
    stub: unknown,
    run: (object: unknown, state: { storage: { put(key: string, value: unknown): Promise<void> }; abort(reason?: string): void }) => T | Promise<T>,
  ): Promise<T>;
}
