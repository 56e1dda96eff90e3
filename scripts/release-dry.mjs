#!/usr/bin/env node
// `pnpm release:dry`: rehearses a release without publishing anything. On a throwaway copy of the workspace it
// runs `changeset version`, builds and packs every publishable package; checks each tarball (LICENSE, CHANGELOG,
// no `workspace:` ranges, publint --strict, attw); installs the tarballs into a scratch project outside the
// workspace and imports every package from ESM, from CommonJS and from TypeScript (nodenext, node16, bundler);
// runs docs/getting-started.md as written against two local chaos upstreams; and starts the gateway with `npx`
// from its tarball in an empty folder. Exits 0 only when all of it passed; cleans up after itself.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consumerFiles } from './release/consumer-files.mjs';
import { publishableFolders } from './release/publishable.mjs';
import { runGuide } from './release/run-guide.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const startedAt = performance.now();
const scratch = mkdtempSync(join(tmpdir(), 'detour-release-'));
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', WRANGLER_SEND_METRICS: 'false', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
// Outside the workspace, npm must not find the workspace's own settings or pnpm's.
for (const key of Object.keys(env)) if (key.startsWith('npm_') && !key.startsWith('npm_config_')) delete env[key];
for (const key of ['npm_config_user_agent', 'npm_config_node_gyp', 'npm_config_global_prefix', 'npm_config_prefix', 'npm_config_registry_user_agent']) delete env[key];
let checks = 0;
const seconds = () => ((performance.now() - startedAt) / 1000).toFixed(1);
const log = (line) => console.log(`  ${line}`);
const pass = (line) => {
  checks++;
  log(`✓ ${line}`);
};

/** Runs a command; resolves with its output, rejects with it (and the exit code) when it fails or overruns. */
const run = (command, args, { cwd = root, timeoutMs = 180_000, extraEnv = {} } = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      output += `\n(killed after ${timeoutMs} ms)`;
      process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${code}:\n${output.trim()}`));
    });
  });

const bin = (name) => join(root, 'node_modules', '.bin', name);
const json = (path) => JSON.parse(readFileSync(path, 'utf8'));


/** The workspace's files as git sees them (tracked and new, never ignored ones), copied; installed packages linked. */
const copyWorkspace = async (target) => {
  const listed = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
  for (const file of listed.split('\0').filter(Boolean)) {
    if (!existsSync(join(root, file))) continue;
    mkdirSync(dirname(join(target, file)), { recursive: true });
    cpSync(join(root, file), join(target, file));
  }
  // The workspace's own install, reused: the root's node_modules is linked whole; each package gets a folder of
  // links to the same installed packages, except its @detour/* dependencies, which point at the copy's packages,
  // so that packing reads their new versions.
  symlinkSync(join(root, 'node_modules'), join(target, 'node_modules'), 'dir');
  for (const folder of ['bench', ...['packages', 'apps'].flatMap((parent) => readdirSync(join(root, parent)).map((name) => `${parent}/${name}`))]) {
    const installed = join(root, folder, 'node_modules');
    if (!existsSync(installed) || !existsSync(join(target, folder))) continue;
    const names = readdirSync(installed).flatMap((name) => (name.startsWith('@') ? readdirSync(join(installed, name)).map((scoped) => `${name}/${scoped}`) : [name]));
    for (const name of names) {
      const real = realpathSync(join(installed, name));
      const linked = name.startsWith('@detour/') ? join(target, relative(root, real)) : real;
      mkdirSync(dirname(join(target, folder, 'node_modules', name)), { recursive: true });
      symlinkSync(linked, join(target, folder, 'node_modules', name), 'dir');
    }
  }
};

const step = async (title, action) => {
  const began = performance.now();
  try {
    await action();
  } catch (error) {
    console.log(`  ✗ ${title}\n${String(error instanceof Error ? error.message : error).replace(/^/gm, '    ')}`);
    throw new Error(`release rehearsal: FAILED at "${title}" after ${seconds()} s`);
  }
  log(`${title} (${((performance.now() - began) / 1000).toFixed(1)} s)`);
};

const npxCacheBefore = existsSync(join(homedir(), '.npm/_npx')) ? new Set(readdirSync(join(homedir(), '.npm/_npx'))) : new Set();

const main = async () => {
  console.log(`release rehearsal (scratch: ${scratch})`);
  const copy = join(scratch, 'workspace');
  const tarballs = join(scratch, 'tarballs');
  const folders = publishableFolders(root);
  const packed = new Map();

  await step('throwaway copy of the workspace', () => copyWorkspace(copy));
  // Built before versioning: no build output depends on the version (the CLIs read it from package.json at run
  // time), so turbo's cache from the workspace's own build (same sources, same hashes) applies; a miss builds.
  await step('build (turbo, the workspace cache shared)', async () => {
    const output = await run('pnpm', ['exec', 'turbo', 'run', 'build', ...folders.flatMap((folder) => ['--filter', `./${folder}`]), '--cache-dir', join(root, '.turbo/cache'), '--output-logs=hash-only'], { cwd: copy });
    const cached = /Cached:\s+(\d+) cached, (\d+) total/.exec(output);
    if (cached) log(`turbo: ${cached[1]} of ${cached[2]} builds from the cache`);
  });
  await step('changeset version', async () => {
    await run(process.execPath, [join(root, 'node_modules/@changesets/cli/bin.js'), 'version'], { cwd: copy });
    for (const folder of folders) {
      const manifest = json(join(copy, folder, 'package.json'));
      const before = json(join(root, folder, 'package.json'));
      if (!existsSync(join(copy, folder, 'CHANGELOG.md'))) throw new Error(`${manifest.name}: changeset version wrote no CHANGELOG.md`);
      pass(`${manifest.name} ${before.version} → ${manifest.version}, CHANGELOG.md written`);
    }
  });
  await step('pack', async () => {
    for (const folder of folders) {
      const output = await run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(copy, folder) });
      const file = output.trim().split('\n').at(-1).trim();
      packed.set(json(join(copy, folder, 'package.json')).name, file.startsWith('/') ? file : join(tarballs, file));
    }
    for (const [name, file] of packed) log(`${name}: ${(readFileSync(file).length / 1024).toFixed(1)} kB packed`);
  });
  await step('tarball contents', async () => {
    const license = readFileSync(join(root, 'LICENSE'), 'utf8');
    for (const [name, file] of packed) {
      const unpacked = join(scratch, 'unpacked', name);
      mkdirSync(unpacked, { recursive: true });
      await run('tar', ['xzf', file, '-C', unpacked]);
      const folder = join(unpacked, 'package');
      if (readFileSync(join(folder, 'LICENSE'), 'utf8') !== license) throw new Error(`${name}: LICENSE missing or not the repository's`);
      for (const required of ['README.md', 'CHANGELOG.md']) if (!existsSync(join(folder, required))) throw new Error(`${name}: ${required} missing`);
      const manifest = json(join(folder, 'package.json'));
      if (JSON.stringify(manifest).includes('workspace:')) throw new Error(`${name}: a workspace: range survived packing`);
      for (const field of ['repository', 'homepage', 'bugs', 'keywords', 'author', 'license']) if (!manifest[field]) throw new Error(`${name}: package.json lacks ${field}`);
      if (manifest.repository.directory === undefined) throw new Error(`${name}: repository.directory missing`);
      for (const [dependency, range] of Object.entries(manifest.dependencies ?? {})) if (!range.startsWith('^')) throw new Error(`${name}: ${dependency}@${range} is not a caret range`);
      const maps = readdirSync(join(folder, 'dist'), { recursive: true }).filter((entry) => String(entry).endsWith('.map'));
      for (const map of maps) if (json(join(folder, 'dist', String(map))).sourcesContent) throw new Error(`${name}: ${map} embeds its sources`);
      pass(`${name}: LICENSE, README, CHANGELOG, metadata, caret ranges, maps without sources`);
    }
  });
  await step('publint --strict', async () => {
    for (const [name, file] of packed) {
      const output = await run(bin('publint'), ['run', '--strict', file]);
      if (!output.includes('All good!')) throw new Error(`${name}:\n${output}`);
      pass(`${name}: publint --strict: all good`);
    }
  });
  await step('are the types wrong (attw)', async () => {
    // The packages are ESM, and Node >= 20.19 require()s them (an ESM build behind a `default` condition): attw's
    // cjs-resolves-to-esm finding describes exactly that, and the READMEs say which TypeScript settings read it.
    // node10 resolution is unsupported (no `main`; the READMEs say so), hence the node16 profile.
    for (const [name, file] of packed) {
      await run(bin('attw'), [file, '--profile', 'node16', '--ignore-rules', 'cjs-resolves-to-esm', '--format', 'table-flipped']);
      pass(`${name}: attw (node16 profile, cjs-resolves-to-esm explained) clean`);
    }
  });

  const consumer = join(scratch, 'guide');
  mkdirSync(consumer);
  const install = async (cwd) => {
    // Third-party packages come from the npm registry (the npm cache first); ours only from the tarballs.
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...packed.values(), 'openai@6.49.0', '@types/node@20.19.43'], { cwd, timeoutMs: 240_000 });
  };
  let project;
  await step('docs/getting-started.md, run as written (two chaos upstreams, the openai SDK, the gateway)', async () => {
    const count = await runGuide({
      guidePath: join(root, 'docs/getting-started.md'),
      folder: consumer,
      env,
      log: (line) => log(`  ${line}`),
      installed: 'the packed tarballs installed',
      install: async (cwd) => {
        project = cwd;
        await install(cwd);
      },
    });
    checks += count;
  });
  await step(`apps/worker/README.md "Run locally", run as written in the workspace copy`, async () => {
    checks += await runGuide({
      guidePath: join(copy, 'apps/worker/README.md'),
      folder: copy,
      env,
      log: (line) => log(`  ${line}`),
      installed: 'the copy is installed and built already',
      install: async () => {},
      localizeFiles: ['apps/worker/detour.local.json'],
    });
  });
  await step('consumers: ESM, CommonJS, TypeScript (nodenext, node16, bundler)', async () => {
    for (const [file, content] of Object.entries(consumerFiles)) {
      mkdirSync(dirname(join(project, file)), { recursive: true });
      writeFileSync(join(project, file), content);
    }
    for (const script of ['consumer/esm.mjs', 'consumer/cjs.cjs']) {
      const output = await run(process.execPath, [script], { cwd: project });
      pass(`${script}: ${output.trim()}`);
    }
    for (const config of ['consumer/tsconfig.nodenext.json', 'consumer/tsconfig.node16.json', 'consumer/tsconfig.bundler.json']) {
      await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', config], { cwd: project });
      pass(`tsc --noEmit -p ${config}`);
    }
  });
  await step('npx of the gateway tarball in an empty folder', async () => {
    const empty = join(scratch, 'empty');
    mkdirSync(empty);
    const packages = ['@detour/gateway', '@detour/core', '@detour/node', '@detour/edge', '@detour/redis', '@detour/cloudflare'].map((name) => `--package=${packed.get(name)}`);
    const npx = (args, options = {}) => run('npx', ['--yes', '--prefer-offline', ...packages, 'detour-gateway', ...args], { cwd: empty, ...options });
    const version = json(join(copy, 'apps/worker/package.json')).version;
    if (!(await npx(['--help'])).includes('--config <file>')) throw new Error('--help printed no usage');
    pass('npx detour-gateway --help');
    if ((await npx(['--version'])).trim().split('\n').at(-1) !== version) throw new Error(`--version is not ${version}`);
    pass(`npx detour-gateway --version: ${version}`);
    const upstream = join(project, 'node_modules/.bin/detour-chaos');
    const chaos = spawn(upstream, ['--port', '0', '--name', 'solo'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const url = await new Promise((resolve, reject) => {
        let out = '';
        chaos.stdout.on('data', (chunk) => {
          out += chunk;
          if (out.includes('\n')) resolve(out.split('\n')[0].trim());
        });
        chaos.once('close', (code) => reject(new Error(`detour-chaos exited ${code}`)));
      });
      writeFileSync(join(empty, 'detour.json'), JSON.stringify({ endpoints: [{ name: 'solo', baseUrl: `${url}/v1` }], gatewayKeys: [{ env: 'GATEWAY_KEY' }] }, null, 2));
      const checked = await npx(['--check', '--config', 'detour.json'], { extraEnv: { GATEWAY_KEY: 'gk-rehearsal' } });
      if (!checked.includes('config OK') || !checked.includes('solo')) throw new Error(`--check printed:\n${checked}`);
      pass('npx detour-gateway --check --config detour.json');
      const gateway = spawn('npx', ['--yes', '--prefer-offline', ...packages, 'detour-gateway', '--config', 'detour.json', '--port', '0', '--access-log'], {
        cwd: empty, env: { ...env, GATEWAY_KEY: 'gk-rehearsal' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
      });
      let output = '';
      gateway.stderr.on('data', (chunk) => (output += chunk));
      const exited = new Promise((resolve) => gateway.once('close', resolve));
      try {
        const gatewayUrl = await new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`the gateway did not start:\n${output}`)), 60_000);
          gateway.stdout.on('data', (chunk) => {
            output += chunk;
            const match = /listening on (http:\/\/\S+)/.exec(output);
            if (match) {
              clearTimeout(timer);
              resolve(match[1]);
            }
          });
          exited.then((code) => reject(new Error(`the gateway exited ${code}:\n${output}`)));
        });
        const response = await fetch(`${gatewayUrl}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: 'Bearer gk-rehearsal', 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] }),
        });
        const body = await response.json();
        if (response.status !== 200 || response.headers.get('x-detour-endpoint') !== 'solo' || !body.choices?.[0]?.message?.content) {
          throw new Error(`unexpected answer ${response.status}: ${JSON.stringify(body)}`);
        }
        pass(`npx detour-gateway --config detour.json: chat answered through ${gatewayUrl} by "solo"`);
      } finally {
        // npx does not pass SIGTERM on (it exits and leaves its child running), so the signal goes to the whole
        // group, as a service manager sends it. 'close' means every process holding the output has exited.
        process.kill(-gateway.pid, 'SIGTERM');
        const killer = setTimeout(() => process.kill(-gateway.pid, 'SIGKILL'), 40_000);
        await exited;
        clearTimeout(killer);
        if (!/SIGTERM: draining/.test(output) || /error/i.test(output.split('draining')[1] ?? '')) throw new Error(`the gateway did not drain cleanly on SIGTERM:\n${output}`);
        if (!/"route":"\/v1\/chat\/completions".*"endpoint":"solo"/.test(output)) throw new Error(`no access log line:\n${output}`);
        pass('SIGTERM: drained and stopped; --access-log wrote the request');
      }
      const left = readdirSync(empty);
      if (left.length !== 1) throw new Error(`npx left files in the folder: ${left.join(', ')}`);
    } finally {
      chaos.kill('SIGTERM');
    }
  });
};

let failed;
try {
  await main();
} catch (error) {
  failed = error;
}
// npx keeps what it installed under ~/.npm/_npx, one folder per set of specs: ours name this run's tarballs.
if (existsSync(join(homedir(), '.npm/_npx'))) {
  for (const entry of readdirSync(join(homedir(), '.npm/_npx'))) {
    const manifest = join(homedir(), '.npm/_npx', entry, 'package.json');
    if (!npxCacheBefore.has(entry) && existsSync(manifest) && readFileSync(manifest, 'utf8').includes(scratch)) {
      rmSync(join(homedir(), '.npm/_npx', entry), { recursive: true, force: true });
    }
  }
}
if (!process.env.DETOUR_KEEP_RELEASE_SCRATCH) rmSync(scratch, { recursive: true, force: true });
if (failed) {
  console.log(failed.message);
  process.exit(1);
}
console.log(`release rehearsal: passed (${checks} checks) in ${seconds()} s`);
