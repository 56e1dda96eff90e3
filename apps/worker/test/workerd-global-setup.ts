import { startChaosUpstream, type ChaosUpstream } from '@detour/testkit';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    gatewayUpstreams: Record<'limited' | 'healthy' | 'cutBefore' | 'cutAfter' | 'ietf', string>;
  }
}

// Upstreams for the gateway-in-workerd tests run in Node, outside workerd, and are reached over loopback.
export default async function setup(project: TestProject) {
  const started: ChaosUpstream[] = await Promise.all([
    startChaosUpstream({ name: 'limited', script: [{ fault: { type: 'rate-limit', dialect: 'anthropic', retryAfterMs: 30_000 } }] }),
    startChaosUpstream({ name: 'healthy' }),
    startChaosUpstream({ name: 'cut-before', script: [{ fault: { type: 'cut-stream', afterChunks: 0, mode: 'close' } }] }),
    startChaosUpstream({ name: 'cut-after', script: [{ fault: { type: 'cut-stream', afterChunks: 2, mode: 'close' } }] }),
    startChaosUpstream({ name: 'ietf', script: [{ fault: { type: 'rate-limit', dialect: 'ietf', retryAfterMs: 30_000 } }] }),
  ]);
  const [limited, healthy, cutBefore, cutAfter, ietf] = started.map((upstream) => upstream.baseUrl);
  project.provide('gatewayUpstreams', { limited: limited!, healthy: healthy!, cutBefore: cutBefore!, cutAfter: cutAfter!, ietf: ietf! });
  return async () => {
    await Promise.all(started.map((upstream) => upstream.close()));
  };
}
