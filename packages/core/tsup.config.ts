import { packageBuild } from '../../tsup.shared';

export default packageBuild({
  entry: {
    index: 'src/index.ts',
    store: 'src/entries/store.ts',
    signals: 'src/entries/signals.ts',
    binding: 'src/entries/binding.ts',
    schemas: 'src/entries/schemas.ts',
    testing: 'src/testing/index.ts',
  },
  runtime: 'neutral',
  treeshake: true,
});
