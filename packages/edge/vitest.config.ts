import { defineWorkersConfig } from '@cloudflare/vitest-pool-workers/config';
import { sharedTestOptions } from '../../vitest.shared';

// These tests run inside workerd, the Workers runtime; the chaos upstreams run in Node (global setup) on loopback.
export default defineWorkersConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 20_000,
    ...sharedTestOptions('edge'),
    poolOptions: {
      workers: {
        singleWorker: true,
        miniflare: { compatibilityDate: '2025-09-01', compatibilityFlags: ['nodejs_compat'] },
      },
    },
  },
});
