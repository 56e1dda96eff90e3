import { startChaosUpstream, type ChaosUpstream } from '@detour/testkit';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    upstreams: Record<'limited' | 'healthy' | 'cutBefore' | 'cutAfter' | 'broken' | 'overloaded' | 'limitedOnce', string>;
  }
}

// The upstreams run in Node, outside workerd; tests reach them over loopback like any provider.
export default async function setup(project: TestProject) {
  const started: ChaosUpstream[] = await Promise.all([
    startChaosUpstream({ name: 'limited', script: [{ fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 30_000 } }] }),
    startChaosUpstream({ name: 'healthy' }),
    startChaosUpstream({ name: 'cut-before', script: [{ fault: { type: 'cut-stream', afterChunks: 0, mode: 'close' } }] }),
    startChaosUpstream({ name: 'cut-after', script: [{ fault: { type: 'cut-stream', afterChunks: 2, mode: 'close' } }] }),
    startChaosUpstream({ name: 'broken', script: [{ fault: { type: 'status', status: 500 } }] }),
    // Anthropic's 529 overloaded_error on every Messages request.
    startChaosUpstream({ name: 'overloaded', script: [{ fault: { type: 'status', status: 529 } }] }),
    // The tracing test's own primary: one 429, then healthy.
    startChaosUpstream({ name: 'limited-once', script: [{ fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 30_000 } }] }),
  ]);
  const [limited, healthy, cutBefore, cutAfter, broken, overloaded, limitedOnce] = started.map((upstream) => upstream.baseUrl);
  project.provide('upstreams', { limited: limited!, healthy: healthy!, cutBefore: cutBefore!, cutAfter: cutAfter!, broken: broken!, overloaded: overloaded!, limitedOnce: limitedOnce! });
  return async () => {
    await Promise.all(started.map((upstream) => upstream.close()));
  };
}
