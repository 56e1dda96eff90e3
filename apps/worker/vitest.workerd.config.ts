import { defineWorkersConfig } from '@cloudflare/vitest-pool-workers/config';
import { sharedTestOptions } from '../../vitest.shared';

// These tests run inside workerd: the gateway through its Workers entry, and the Durable Object store against a
// miniflare Durable Object bound as DETOUR_STATE.
export default defineWorkersConfig({
  test: {
    include: ['src/**/*.workerd.test.ts'],
    // The gateway tests reach testkit upstreams started here, in Node, over loopback.
    globalSetup: ['./test/workerd-global-setup.ts'],
    testTimeout: 20_000,
    ...sharedTestOptions('worker-workerd'),
    poolOptions: {
      workers: {
        singleWorker: true,
        // Each test names its own object instead: per-test storage isolation does not suit objects shared by stores.
        isolatedStorage: false,
        main: './test/state/workerd-main.ts',
        miniflare: {
          compatibilityDate: '2025-09-01',
          compatibilityFlags: ['nodejs_compat', 'enable_request_signal'],
          durableObjects: { DETOUR_STATE: 'DetourStateObject' },
        },
      },
    },
  },
});
