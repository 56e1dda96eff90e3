import { defineConfig, type Options } from 'tsup';

/**
 * The build every published package shares: ESM only, declarations, source maps without the sources (embedding
 * every source file tripled the tarball; the maps still give stack traces the original file names and lines).
 * `runtime` picks the target: Node's own APIs for `node`, any runtime (Workers, browsers, Deno) for `neutral`.
 */
export const packageBuild = ({ runtime, ...options }: Options & { runtime: 'node' | 'neutral' }) =>
  defineConfig({
    format: ['esm'],
    dts: true,
    clean: true,
    sourcemap: true,
    esbuildOptions(esbuild) {
      esbuild.sourcesContent = false;
    },
    target: runtime === 'node' ? 'node20' : 'es2022',
    platform: runtime,
    ...options,
  });
