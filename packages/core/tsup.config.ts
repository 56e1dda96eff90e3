import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    store: 'src/entries/store.ts',
    signals: 'src/entries/signals.ts',
    binding: 'src/entries/binding.ts',
    schemas: 'src/entries/schemas.ts',
    testing: 'src/testing/index.ts',
  },
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  // Maps give stack traces the original file names and lines; embedding every source file tripled the tarball.
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
  target: 'es2022',
  platform: 'neutral',
  treeshake: true,
});
