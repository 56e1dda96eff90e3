// What the figures were measured on and with: they mean little without the machine, the runtime and the versions.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const versionOf = (name) => {
  try {
    return require(`${name}/package.json`).version;
  } catch {
    return 'unknown';
  }
};
const git = (...args) => {
  try {
    return execFileSync('git', args, { cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
};
const pnpmVersion = () => {
  try {
    return execFileSync('pnpm', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
};

/** Machine, runtime and package versions, for the report header and the JSON. */
export const machineInfo = (portkeyVersions) => {
  const workerManifest = JSON.parse(readFileSync(new URL('../../apps/worker/package.json', import.meta.url), 'utf8'));
  return {
    nproc: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    pnpm: pnpmVersion(),
    gitCommit: git('rev-parse', '--short', 'HEAD'),
    // The reports this run rewrites do not count: a run started after another has them modified.
    gitDirty: git('status', '--porcelain', '--', '.', ':(exclude)docs/benchmarks*').length > 0,
    packages: {
      '@detour/gateway': workerManifest.version,
      '@detour/gateway hono': workerManifest.dependencies.hono,
      '@detour/gateway @hono/node-server': workerManifest.dependencies['@hono/node-server'],
      '@detour/gateway undici': workerManifest.dependencies.undici,
      '@detour/testkit': versionOf('@detour/testkit'),
      'bench undici': versionOf('undici'),
      autocannon: versionOf('autocannon'),
      ...Object.fromEntries(Object.entries(portkeyVersions).map(([name, version]) => [`portkey: ${name}`, version])),
    },
  };
};
