import { fileURLToPath } from 'node:url';

/**
 * Every package writes a JSON report next to the console output, so the root test command can print one closing
 * line for the whole workspace (see scripts/pnpm.mjs).
 */
export const testResults = (name: string) => ({
  reporters: ['default', 'json'] as string[],
  outputFile: { json: fileURLToPath(new URL(`./.test-results/${name}.json`, import.meta.url)) },
});
