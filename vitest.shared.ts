import { fileURLToPath } from 'node:url';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/**
 * Options every package's tests share:
 * - a JSON report next to the console output, so the root test command can print one closing line for the whole
 *   workspace (see scripts/pnpm.mjs);
 * - property tests on a fixed seed (see vitest.setup.ts), so a run is repeatable.
 */
export const sharedTestOptions = (name: string) => ({
  reporters: ['default', 'json'] as string[],
  outputFile: { json: here(`./.test-results/${name}.json`) },
  setupFiles: [here('./vitest.setup.ts')],
});
