import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's chromium: playwright-core drives it; `playwright install` is never used. */
export const chromiumPath = '/usr/bin/chromium';

/** Launch flags that keep chromium quiet and offline in CI (no sandbox: CI runs as root). */
export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/**
 * Makes sure Debian's chromium is installed, installing it with apt-get when missing and running as root (a clean
 * CI machine). Throws when it is missing and cannot be installed: the report check must fail then, not skip.
 *
 * @returns {string} The executable's path.
 */
export const ensureChromium = () => {
  if (existsSync(chromiumPath)) return chromiumPath;
  if (process.getuid?.() !== 0) throw new Error(`${chromiumPath} is missing and this is not root, so it cannot be installed with apt-get; run: apt-get install -y chromium`);
  const options = { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 600_000 };
  execFileSync('apt-get', ['update'], options);
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], options);
  if (!existsSync(chromiumPath)) throw new Error(`apt-get install chromium finished, but ${chromiumPath} is still missing`);
  return chromiumPath;
};
