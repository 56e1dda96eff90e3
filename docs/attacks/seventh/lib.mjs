import { spawn } from 'node:child_process';
import { Miniflare } from '/work/main/node_modules/.pnpm/miniflare@4.20260426.0/node_modules/miniflare/dist/src/index.js';
import { startUpstream, stats } from './upstream.mjs';
import fs from 'node:fs';
export { stats };
export const UPKEY = 'sk-SECRET-upstream-key-0123456789';
export const ANTKEY = 'sk-ant-SECRET-anthropic-key-987654';
export const GK = 'gk-test-key';
export const ADMIN = 'admin-key-abcdef123456';
export const makeConfig = (up, extra = {}) => ({
  endpoints: [
    { name: 'primary', baseUrl: `http://127.0.0.1:${up}/v1`, apiKey: { env: 'UPSTREAM_KEY' }, priority: 0 },
    { name: 'claude', provider: 'anthropic', baseUrl: `http://127.0.0.1:${up}/v1`, apiKey: { env: 'ANT_KEY' }, priority: 0 },
  ],
  gatewayKeys: [{ env: 'GW_KEY' }],
  admin: { key: { env: 'ADMIN_KEY' } },
  router: { deadlineMs: 4000, firstByteTimeoutMs: 2500, streamIdleTimeoutMs: 2500, maxAttempts: 2 },
  ...extra,
});
export async function startAll({ extra = {}, durable = false, accessLog = true } = {}) {
  const upstream = await startUpstream(0);
  const up = upstream.address().port;
  const config = makeConfig(up, extra);
  if (durable) config.store = { durableObject: 'DETOUR_STATE' };
  const env = { UPSTREAM_KEY: UPKEY, ANT_KEY: ANTKEY, GW_KEY: GK, ADMIN_KEY: ADMIN };
  fs.writeFileSync('/tmp/attack7c/cfg.json', JSON.stringify({ ...config, store: undefined }));
  const nodeLogs = [];
  const child = spawn(process.execPath, ['/work/main/apps/worker/dist/cli.js', '--config', '/tmp/attack7c/cfg.json', '--port', '0', ...(accessLog ? ['--access-log'] : [])], { env: { ...process.env, ...env } });
  const nodeUrl = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => { out += d; nodeLogs.push(String(d)); const m = /listening on (http:\/\/\S+)/.exec(out); if (m) resolve(m[1]); });
    child.stderr.on('data', (d) => nodeLogs.push('ERR ' + d));
    child.on('exit', (c) => reject(new Error('node exited ' + c + out)));
    setTimeout(() => reject(new Error('timeout ' + out)), 8000);
  });
  const workerLogs = [];
  const mf = new Miniflare({
    host: '127.0.0.1', port: 0,
    modules: true, scriptPath: '/tmp/attack7c/worker.bundle.mjs',
    compatibilityDate: '2025-09-01', compatibilityFlags: ['nodejs_compat', 'enable_request_signal'],
    bindings: { DETOUR_CONFIG: JSON.stringify(config), ...env },
    ...(durable ? { durableObjects: { DETOUR_STATE: 'DetourStateObject' } } : {}),
    handleRuntimeStdio(stdout, stderr) { stdout.on('data', (d) => workerLogs.push(String(d))); stderr.on('data', (d) => workerLogs.push('ERR ' + d)); },
  });
  const workerUrl = String(await mf.ready).replace(/\/$/, '');
  const stop = async () => { child.kill('SIGTERM'); await mf.dispose(); upstream.close(); upstream.closeAllConnections?.(); };
  return { up, nodeUrl, workerUrl, mf, child, stop, nodeLogs, workerLogs, upstream };
}
export const watchdog = (ms) => setTimeout(() => { console.log('WATCHDOG exit'); process.exit(2); }, ms).unref?.() ?? null;
