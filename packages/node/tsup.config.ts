import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', schemas: 'src/schemas.ts' },
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  // Maps give stack traces the original file names and lines; embedding every source file tripled the tarball.
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
  target: 'node20',
  platform: 'node',
});
