// Installs Portkey's gateway from the npm registry into a gitignored cache on first use. Only bench/portkey/
// package.json is committed: it pins @portkey-ai/gateway 1.15.2 and, through npm `overrides`, the @hono/node-server
// 1.13.5 and hono 4.9.7 of its repository lockfile (a plain install resolves node-server 1.19, which breaks
// Portkey's streaming with "TypeError: immutable"; Portkey #1389).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pinned = fileURLToPath(new URL('../../portkey/package.json', import.meta.url));
/** The cache folder Portkey is installed into. */
export const portkeyDirectory = fileURLToPath(new URL('../../.cache/portkey/', import.meta.url));

const installedVersion = (name) => {
  const file = join(portkeyDirectory, 'node_modules', name, 'package.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : undefined;
};

/** Makes sure the pinned versions are installed; returns them. Runs `npm install` only when they are not. */
export const ensurePortkey = (log) => {
  const manifest = readFileSync(pinned, 'utf8');
  const { dependencies, overrides } = JSON.parse(manifest);
  const wanted = { ...dependencies, ...overrides };
  const current = () => Object.fromEntries(Object.keys(wanted).map((name) => [name, installedVersion(name)]));
  const matches = () => Object.entries(current()).every(([name, version]) => version === wanted[name]);
  const cachedManifest = join(portkeyDirectory, 'package.json');
  if (!matches() || !existsSync(cachedManifest) || readFileSync(cachedManifest, 'utf8') !== manifest) {
    log(`installing @portkey-ai/gateway ${dependencies['@portkey-ai/gateway']} into ${portkeyDirectory} (npm install, first run only)`);
    mkdirSync(portkeyDirectory, { recursive: true });
    writeFileSync(cachedManifest, manifest);
    const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: portkeyDirectory, stdio: 'inherit', timeout: 180_000 });
    if (result.status !== 0 || !matches()) throw new Error(`npm install of Portkey failed: ${JSON.stringify(current())}`);
  }
  return current();
};
