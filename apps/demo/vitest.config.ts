import { defineConfig } from 'vitest/config';
import { sharedTestOptions } from '../../vitest.shared';

export default defineConfig({
  test: {
    include: ['test/**/*.test.js'],
    // The end-to-end test runs two short load runs and a browser; the default 5 s is far too little.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    ...sharedTestOptions('demo'),
  },
});
