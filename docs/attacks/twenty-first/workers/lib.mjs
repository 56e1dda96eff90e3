// Attack 21 harness: bundle a Worker with esbuild and run it in workerd via Miniflare (offline), plus recording
// upstreams (from attack 20's lib). Usage: import { root, gatewayInWorkerd, edgeInWorkerd, fakeUpstream } from './lib.mjs'
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
export { fakeUpstream, json, sha, summarize, watchdog, parseMultipart } from '../../twentieth/api-surface/lib.mjs';

export const root = process.env.ROOT ?? '/tmp/attack21';
const req = createRequire(`${root}/apps/worker/package.json`);
const wreq = createRequire(req.resolve('wrangler/package.json'));
const { Miniflare, Log, LogLevel } = wreq('miniflare');
const esbuild = req('esbuild');

// workerd's nodejs_compat (2025-09-01) has no node:child_process; the Anthropic SDK imports it (wrangler's unenv
// polyfills it). Stubbed here as wrangler would.
const stubChildProcess = { name: 'stub-cp', setup(b) {
  b.onResolve({ filter: /^node:(child_process|fs|fs\/promises|os|readline|tty|http|https|net|tls|worker_threads|perf_hooks|v8|vm)$/ }, () => ({ path: 'cp', namespace: 'stub' }));
  b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export const execFile = () => { throw new Error("stub"); }; export const spawn = execFile; export default {};' }));
} };
export const bundle = async (entry, resolveDir) => {
  const out = await esbuild.build({
    entryPoints: [entry], bundle: true, format: 'esm', platform: 'neutral', write: false, target: 'es2022',
    conditions: ['workerd', 'worker', 'browser', 'import', 'default'], mainFields: ['module', 'main'],
    external: ['node:*', 'cloudflare:*'], logLevel: 'error', plugins: [stubChildProcess], absWorkingDir: resolveDir ?? root, nodePaths: resolveDir ? [`${resolveDir}/node_modules`] : [],
  });
  return out.outputFiles[0].text;
};

const start = async (script, bindings, extra = {}) => {
  const mf = new Miniflare({
    modules: true, script, compatibilityDate: '2025-09-01', compatibilityFlags: ['nodejs_compat', 'enable_request_signal'],
    bindings, host: '127.0.0.1', port: 0, cf: false, log: new Log(process.env.MFLOG ? LogLevel.DEBUG : LogLevel.INFO), ...extra,
  });
  const url = await mf.ready;
  return { mf, url: url.href.replace(/\/$/, ''), close: () => mf.dispose() };
};

let gwScript;
/** The gateway's Workers entry (apps/worker/src/workers/worker.ts) in workerd. config: object or string. */
export const gatewayInWorkerd = async (config, env = {}, extra = {}) => {
  gwScript ??= await bundle(`${root}/apps/worker/src/workers/worker.ts`, `${root}/apps/worker`);
  return start(gwScript, { DETOUR_CONFIG: typeof config === 'string' ? config : JSON.stringify(config), ...env }, extra);
};

/** A Worker (file path) that imports @detour/edge / openai / @anthropic-ai/sdk, resolved from packages/edge. */
// Bundled by wrangler itself (deploy --dry-run: esbuild + unenv's polyfills, as a real deploy), offline.
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
export const wranglerBundle = (file) => {
  const out = mkdtempSync(join(tmpdir(), 'a21-wr-'));
  execFileSync(`${root}/apps/worker/node_modules/.bin/wrangler`, ['deploy', '--dry-run', '--outdir', out, '--compatibility-date', '2025-09-01',
    '--compatibility-flags', 'nodejs_compat', '--name', 'a21', basename(file)], { cwd: dirname(file), stdio: 'ignore', timeout: 120000 });
  return readFileSync(join(out, basename(file).replace(/\.mjs$/, '.js')), 'utf8');
};
export const edgeInWorkerd = async (file, bindings = {}, extra = {}) => start(wranglerBundle(file), bindings, extra);

/** The Node gateway (apps/worker/dist) in-process, for comparisons. */
export const gatewayInNode = async (config, env = {}) => {
  const { startGateway, loadConfig } = await import(pathToFileURL(`${root}/apps/worker/dist/index.js`).href);
  const gw = await startGateway({ config: loadConfig(config, env, 'gateway config') });
  return { url: gw.url, close: () => gw.close(0), router: gw.router };
};
