// The four subjects, each in its own child process pinned to the subject core, and how to address each of them.
// Every subject reaches the same upstream with the same body; only the route to it differs.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { spawnNode, stopChild, waitForLine } from './child-processes.mjs';
import { assertLoopbackListener } from './servers/loopback-check.mjs';
import { portkeyDirectory } from './servers/portkey-install.mjs';

const cacheDirectory = fileURLToPath(new URL('../.cache/', import.meta.url));
/** The gateway under test: this checkout's build, or another's (`DETOUR_BENCH_GATEWAY=/path/to/apps/worker/dist/cli.js`) to compare builds. */
export const gatewayCli = process.env.DETOUR_BENCH_GATEWAY ?? fileURLToPath(new URL('../../apps/worker/dist/cli.js', import.meta.url));
const bareProxy = fileURLToPath(new URL('./servers/bare-proxy.mjs', import.meta.url));
const loopbackOnly = fileURLToPath(new URL('./servers/loopback-only.mjs', import.meta.url));
const portkeyStart = `${portkeyDirectory}node_modules/@portkey-ai/gateway/build/start-server.js`;

/** Upstream keys and the gateway key: fake, loopback-only values. */
export const keys = { main: 'sk-bench-main', backup: 'sk-bench-backup', gateway: 'gk-bench' };
/** Subject names in report order. */
export const subjectNames = ['direct', 'bare', 'detour', 'portkey'];
export const subjectLabels = { direct: 'direct (floor)', bare: 'bare undici proxy', detour: 'Detour gateway', portkey: 'Portkey 1.15.2' };

const PATH = '/v1/chat/completions';

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const portOf = (origin) => Number(new URL(origin).port);

/** The direct path: no process of its own, the load goes straight to the upstream. */
const direct = (upstreams) => ({
  name: 'direct',
  origin: upstreams.main,
  pid: undefined,
  target: () => ({ origin: upstreams.main, path: PATH, headers: { authorization: `Bearer ${keys.main}` } }),
  stop: async () => {},
});

const bare = async (upstreams, cpu, { profileDirectory, nodeArgs = [], env } = {}) => {
  // Profiled alongside Detour (--profile-detour), so the report compares the two component by component.
  if (profileDirectory) mkdirSync(profileDirectory, { recursive: true });
  const profile = profileDirectory ? ['--cpu-prof', `--cpu-prof-dir=${profileDirectory}`] : [];
  const child = spawnNode({ name: 'bare proxy', args: [...profile, ...nodeArgs, bareProxy, '--upstream', upstreams.main, '--key', keys.main, '--port', '0'], cpu, env });
  const [, origin] = await waitForLine(child, /listening on (http:\/\/\S+)/);
  assertLoopbackListener(portOf(origin));
  return { name: 'bare', origin, pid: child.pid, target: () => ({ origin, path: PATH, headers: {} }), stop: () => stopChild(child) };
};

/** The Detour subject's config: two tiers over the bench's upstreams. */
export const detourConfig = (upstreams) => ({
  endpoints: [
    { name: 'main', baseUrl: `${upstreams.main}/v1`, apiKey: keys.main, priority: 0 },
    { name: 'backup', baseUrl: `${upstreams.backup}/v1`, apiKey: keys.backup, priority: 1 },
  ],
  gatewayKeys: [keys.gateway],
  router: {},
  // The bench stops the gateway between phases; in-flight work is already drained by then.
  shutdownGraceMs: 2000,
});

/** Starts a Detour gateway with `config` (written to `bench/.cache/<fileName>`), pinned to `cpu`. */
export const startDetourGateway = async (config, cpu, fileName, { profileDirectory, nodeArgs = [], env } = {}) => {
  mkdirSync(cacheDirectory, { recursive: true });
  const configFile = `${cacheDirectory}${fileName}`;
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  if (profileDirectory) mkdirSync(profileDirectory, { recursive: true });
  const profile = profileDirectory ? ['--cpu-prof', `--cpu-prof-dir=${profileDirectory}`] : [];
  const child = spawnNode({ name: 'Detour gateway', args: [...profile, ...nodeArgs, gatewayCli, '--config', configFile, '--port', '0'], cpu, env });
  const [, origin] = await waitForLine(child, /Detour gateway listening on (http:\/\/\S+)/);
  assertLoopbackListener(portOf(origin));
  return {
    name: 'detour',
    origin,
    pid: child.pid,
    target: () => ({ origin, path: PATH, headers: { authorization: `Bearer ${keys.gateway}` } }),
    // What the process prints from here on (V8's traces with `nodeArgs`, see profile/jit-churn.mjs).
    stdout: child.stdout,
    stop: () => stopChild(child, 5000),
  };
};

const detour = (upstreams, cpu, options) => startDetourGateway(detourConfig(upstreams), cpu, 'detour-config.json', options);

/**
 * The "observability on, nobody watching" variant of the Detour subject: the dashboard's collector runs (an admin
 * key is set) but nobody opens /dashboard. Hook for tracing: `DETOUR_BENCH_OBSERVED_IMPORT=/path/register-otel.mjs`
 * is passed to this gateway (only) as `node --import`, e.g. a module registering an OpenTelemetry tracer provider.
 */
export const startDetourObserved = (upstreams, cpu) =>
  startDetourGateway({ ...detourConfig(upstreams), admin: { key: 'bench-admin-key' } }, cpu, 'detour-observed-config.json', {
    nodeArgs: process.env.DETOUR_BENCH_OBSERVED_IMPORT ? ['--import', process.env.DETOUR_BENCH_OBSERVED_IMPORT] : [],
  });

const portkeyTarget = (upstreams, kind) =>
  kind === 'failover'
    ? {
        strategy: { mode: 'fallback' },
        targets: [
          { provider: 'openai', api_key: keys.main, custom_host: `${upstreams.main}/v1` },
          { provider: 'openai', api_key: keys.backup, custom_host: `${upstreams.backup}/v1` },
        ],
      }
    : { provider: 'openai', api_key: keys.main, custom_host: `${upstreams.main}/v1` };

/** Polls Portkey's root until it says hey (its readiness answer). */
const waitForPortkey = async (origin, child) => {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Portkey exited (${child.exitCode}):\n${child.output}`);
    try {
      const response = await fetch(`${origin}/`);
      if (response.ok && (await response.text()).includes('AI Gateway says hey')) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Portkey not ready after 20 s:\n${child.output}`);
};

const portkey = async (upstreams, cpu) => {
  const port = await freePort();
  const child = spawnNode({ name: 'Portkey', args: ['--import', loopbackOnly, portkeyStart, '--headless', `--port=${port}`], cpu });
  const origin = `http://127.0.0.1:${port}`;
  await waitForPortkey(origin, child);
  assertLoopbackListener(port);
  return {
    name: 'portkey',
    origin,
    pid: child.pid,
    target: (kind) => ({ origin, path: PATH, headers: { 'x-portkey-config': JSON.stringify(portkeyTarget(upstreams, kind)) } }),
    stop: () => stopChild(child),
  };
};

/** Starts one subject by name; `direct` starts nothing. */
export const startSubject = (name, upstreams, cpu, options) =>
  ({ direct: () => direct(upstreams), bare: () => bare(upstreams, cpu, options), detour: () => detour(upstreams, cpu, options), portkey: () => portkey(upstreams, cpu) })[name]();

/** Resident memory of a process from /proc: VmRSS (now) and VmHWM (peak since start), in MiB. */
export const readMemory = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))?.[1] ?? Number.NaN) / 1024;
  return { rssMiB: field('VmRSS'), peakMiB: field('VmHWM') };
};
