import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The workspace folders a release publishes, relative to `root` (`packages/core`, `apps/worker`…): those whose
 * package.json is not private. Node's own modules only: `npm run pack:local` reads it before anything is installed.
 */
export const publishableFolders = (root) =>
  ['packages', 'apps']
    .flatMap((parent) => readdirSync(join(root, parent)).map((name) => `${parent}/${name}`))
    .filter((folder) => existsSync(join(root, folder, 'package.json')) && JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8')).private !== true);
