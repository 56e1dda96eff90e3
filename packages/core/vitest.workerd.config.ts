import { defineWorkersConfig } from '@cloudflare/vitest-pool-workers/config';
import { sharedTestOptions } from '../../vitest.shared';

// The same unit tests again, inside workerd: core promises identical behaviour on Node and on Workers.
export default defineWorkersConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 20_000,
    ...sharedTestOptions('core-workerd'),
    poolOptions: {
      workers: {
        singleWorker: true,
        miniflare: { compatibilityDate: '2025-09-01', compatibilityFlags: ['nodejs_compat'] },
      },
    },
  },
});
