import { defineConfig } from 'vitest/config';
import { testResults } from '../../vitest.shared';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    ...testResults('testkit'),
  },
});
