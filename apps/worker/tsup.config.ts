import { packageBuild } from '../../tsup.shared';

export default packageBuild({
  entry: { index: 'src/index.ts', cli: 'src/node/cli.ts', worker: 'src/workers/worker.ts' },
  dts: { entry: { index: 'src/index.ts' } },
  runtime: 'node',
  external: ['cloudflare:workers'],
});
