#!/usr/bin/env node
// The README's two commands (`npm run demo`, `npm test`) land here, so that a machine with only Node and npm
// needs nothing else: this script finds pnpm at the pinned version (or runs it through npx), installs the
// workspace from the lockfile, and then runs the main job or every test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publishableFolders } from './release/publishable.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', WRANGLER_SEND_METRICS: 'false' };

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env, ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function findPnpm() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8', env });
  if (probe.status === 0 && probe.stdout.trim() === pinned) return ['pnpm'];
  // A missing or different pnpm: npx fetches the pinned one from the npm registry without touching globals.
  return ['npx', '-y', `pnpm@${pinned}`];
}

const pnpmCommand = findPnpm();
const pnpm = (...args) => run(pnpmCommand[0], [...pnpmCommand.slice(1), ...args]);

function install() {
  const status = pnpm('install', '--frozen-lockfile', '--prefer-offline', '--reporter=append-only');
  if (status !== 0) process.exit(status);
}

const onPath = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

/**
 * Tests start a real redis-server and drive Debian's chromium. On a clean machine (CI, as root) they are installed
 * here, once, before the parallel test runs: two apt-get runs at the same time would fight over the dpkg lock.
 */
function ensureSystemPackages() {
  const missing = [];
  if (!onPath('redis-server')) missing.push('redis-server');
  if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
  if (missing.length === 0) return;
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || !onPath('apt-get')) {
    console.warn(`Missing ${missing.join(' and ')}: the tests that need them will fail. Install with: apt-get install -y ${missing.join(' ')}`);
    return;
  }
  console.log(`Installing ${missing.join(' and ')} for the tests (apt-get)…`);
  run('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(' ')} >/dev/null`]);
}

/** Sums the vitest JSON reports every package wrote, so CI sees one plain closing line for the whole run. */
function summarizeTests() {
  const folder = join(root, '.test-results');
  if (!existsSync(folder)) return { passed: 0, failed: 0, skipped: 0 };
  const totals = { passed: 0, failed: 0, skipped: 0 };
  for (const file of readdirSync(folder)) {
    if (!file.endsWith('.json')) continue;
    const report = JSON.parse(readFileSync(join(folder, file), 'utf8'));
    totals.passed += report.numPassedTests ?? 0;
    totals.failed += report.numFailedTests ?? 0;
    totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  }
  return totals;
}

const task = process.argv[2];
if (task === 'run-tests') {
  install();
  ensureSystemPackages();
  rmSync(join(root, '.test-results'), { recursive: true, force: true });
  // The lint (unused code, core's purity rules) is cheap: it runs first and fails the run like a failing test.
  let status = pnpm('lint');
  if (status === 0) status = pnpm('exec', 'turbo', 'run', 'build', 'typecheck', '--output-logs=errors-only');
  // The published surface must match its committed API report (a change to it shows in review).
  if (status === 0) status = run('node', ['scripts/api-report.mjs']);
  if (status === 0) status = pnpm('exec', 'turbo', 'run', 'test', '--concurrency=1');
  // Shipping checks, each with its own result line; any failure fails the run. They run after the tests, on the
  // built workspace: the API reference (no undocumented public symbol, the options table up to date), built files
  // Latin-1 only (V8 then holds each module's source at one byte per character), the size of a minimal Worker on
  // @detour/edge (core + edge, minified and gzipped, against its budget), the Workers bundle
  // (`wrangler deploy --dry-run`), and the release rehearsal (pack, publint, attw, scratch consumers, the
  // getting-started guide, npx of the gateway tarball).
  if (status === 0) {
    const checks = ['scripts/check-api-docs.mjs', 'scripts/check-latin1-builds.mjs', 'packages/edge/scripts/size.mjs', 'scripts/workers-dry-run.mjs', 'scripts/release-dry.mjs'];
    for (const script of checks) {
      const began = Date.now();
      const checked = run(process.execPath, [script]);
      console.log(`${script}: ${checked === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - began) / 1000).toFixed(0)} s`);
      if (checked !== 0) status = 1;
    }
  }
  const totals = summarizeTests();
  if (totals.passed + totals.failed === 0 && status === 0) status = 1;
  const line = `tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`;
  mkdirSync(join(root, '.test-results'), { recursive: true });
  writeFileSync(join(root, '.test-results', 'summary.txt'), `${line}\n`);
  console.log(`\n${line}`);
  process.exit(status);
} else if (task === 'run-main') {
  install();
  const status = pnpm('exec', 'turbo', 'run', 'build', '--output-logs=errors-only');
  if (status !== 0) process.exit(status);
  const main = existsSync(join(root, 'apps/demo/package.json'))
    ? ['--filter', '@detour/demo', 'start', ...process.argv.slice(3)]
    : ['--filter', '@detour/core', 'example'];
  process.exit(pnpm(...main));
} else if (task === 'run-pack') {
  // Until the packages are on npm: build and pack every publishable one into packed/, as `pnpm publish` would pack
  // it (workspace ranges replaced by versions), so that a project outside the workspace can install the tarballs.
  install();
  const publishable = publishableFolders(root).map((folder) => join(root, folder));
  // Built afresh into empty dist folders: a build does not clear its folder, and turbo's cache would bring back
  // whatever a folder held when it was cached, so a file left from an older build would be packed and published.
  for (const folder of publishable) rmSync(join(folder, 'dist'), { recursive: true, force: true });
  const built = pnpm('exec', 'turbo', 'run', 'build', '--force', '--output-logs=errors-only');
  if (built !== 0) process.exit(built);
  const packed = join(root, 'packed');
  rmSync(packed, { recursive: true, force: true });
  mkdirSync(packed);
  for (const folder of publishable) {
    const status = run(pnpmCommand[0], [...pnpmCommand.slice(1), 'pack', '--pack-destination', packed], { cwd: folder, stdio: ['ignore', 'ignore', 'inherit'] });
    if (status !== 0) process.exit(status);
  }
  const files = readdirSync(packed).filter((file) => file.endsWith('.tgz')).sort();
  console.log(`\nPacked ${files.length} packages into ${packed}:\n${files.map((file) => `  ${file}`).join('\n')}`);
  console.log(`\nInstall them together (each finds the others among them), in your project:\n  npm install ${join(packed, '*.tgz')}`);
} else if (task === 'run-bench-quick') {
  // CI's smoke run of the benchmark, with pnpm found the same way as for the tests.
  process.exit(pnpm('bench', '--quick'));
} else if (task === 'run-soak-ci') {
  // CI's one minute of the soak: the gateway under switching faults, every answer checked (bench/src/soak/README.md).
  // 60 req/s rather than the default 150: on a shared two-core CI machine 150 starved the gateway of CPU (a full
  // accept queue), which measures the machine; 60 still sends every kind of request and fault.
  process.exit(pnpm('soak', '--minutes', '1', '--rate', '60'));
} else {
  console.error('usage: node scripts/pnpm.mjs run-tests | run-main | run-pack | run-bench-quick | run-soak-ci');
  process.exit(2);
}
