import { packageBuild } from '../../tsup.shared';

export default packageBuild({ entry: { index: 'src/index.ts', schemas: 'src/schemas.ts' }, runtime: 'node' });
