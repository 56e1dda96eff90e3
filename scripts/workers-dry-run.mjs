#!/usr/bin/env node
// CI's check of the Workers path: `wrangler deploy --dry-run` bundles the gateway's Workers entry exactly as a deploy
// would (wrangler 4.86.0, the gateway's own devDependency), without an account, and reports the bundle size.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = mkdtempSync(join(tmpdir(), 'detour-wrangler-'));
const result = spawnSync('pnpm', ['--filter', '@detour/gateway', 'exec', 'wrangler', 'deploy', '--dry-run', '--outdir', outdir], {
  cwd: root,
  encoding: 'utf8',
  timeout: 180_000,
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
});
rmSync(outdir, { recursive: true, force: true });
const output = `${result.stdout}${result.stderr}`;
const size = /Total Upload: ([^\n]+)/.exec(output)?.[1]?.trim();
if (result.status !== 0 || !size || !output.includes('--dry-run: exiting now.')) {
  console.log(`workers: wrangler deploy --dry-run FAILED\n${output}`);
  process.exit(1);
}
console.log(`workers: wrangler deploy --dry-run ok, bundle ${size}`);
