// The subjects a profiling tool runs, named on its command line, and how each starts: the tools wrap the command
// (valgrind, heap-snapshot flags) but start the same bare proxy or gateway the same way.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detourConfig, gatewayCli, keys } from '../subjects.mjs';

const barePath = fileURLToPath(new URL('../servers/bare-proxy.mjs', import.meta.url));

/**
 * `[name, cli]` for each subject on the command line: `bare`, `gateway` (this checkout's build) or
 * `name=/path/to/apps/worker/dist/cli.js` (another build, e.g. a checkout of an earlier commit); `bare gateway`
 * when none is named. `cli` is `'bare'` for the bare proxy.
 */
export const profileSubjects = (positionals) =>
  (positionals.length > 0 ? positionals : ['bare', 'gateway']).map((text) => {
    if (text === 'bare') return ['bare', 'bare'];
    if (text === 'gateway') return ['gateway', gatewayCli];
    const [name, path] = text.split('=');
    if (!name || !path) throw new Error(`a subject is bare, gateway or name=/path/to/cli.js (got "${text}")`);
    return [name, path];
  });

/**
 * Node's arguments for one subject in front of `urls` (`main`, `backup`), and the headers a request to it needs.
 * A gateway's config (the bench's, with `extra` merged in and `extra.router` into its router) is written to
 * `folder`.
 */
export const subjectLaunch = ([name, cli], urls, folder, extra = {}) => {
  if (cli === 'bare') return { args: [barePath, '--upstream', urls.main, '--key', keys.main, '--port', '0'], headers: {} };
  const base = detourConfig(urls);
  const configFile = join(folder, `${name}.json`);
  writeFileSync(configFile, JSON.stringify({ ...base, ...extra, router: { ...base.router, ...extra.router } }));
  return { args: [cli, '--config', configFile, '--port', '0'], headers: { authorization: `Bearer ${keys.gateway}` } };
};
