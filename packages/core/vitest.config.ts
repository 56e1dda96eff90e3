import { defineConfig } from 'vitest/config';
import { sharedTestOptions } from '../../vitest.shared';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Properties with thousands of runs take under a second here; a busy machine must not time them out.
    testTimeout: 20_000,
    ...sharedTestOptions('core'),
  },
});
