// Shared harness: chaos upstreams + the built gateway CLI as a child process.
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
export const REPO = '/tmp/attack18a/repo';
export const CLI = `${REPO}/apps/worker/dist/cli.js`;
export const CHAOS = `${REPO}/packages/testkit/dist/cli.js`;
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const kids = [];
export const cleanup = () => { for (const k of kids) if (k.exitCode === null && k.signalCode === null) try { k.kill('SIGKILL'); } catch {} };
process.on('exit', cleanup);

export function waitLine(child, re, stream = 'stdout', ms = 15000) {
  return new Promise((resolve, reject) => {
    let buf = '';
    const t = setTimeout(() => reject(new Error(`timeout waiting for ${re}; got ${buf}`)), ms);
    const on = (c) => { buf += c; const m = buf.match(re); if (m) { clearTimeout(t); child[stream].off('data', on); resolve(m); } };
    child[stream].on('data', on);
    child.once('exit', (code, sig) => { clearTimeout(t); reject(new Error(`exited ${code} ${sig}: ${buf}`)); });
  });
}

export async function startChaos(name, script) {
  const args = [CHAOS, '--port', '0', '--name', name];
  if (script) { const f = join(mkdtempSync(join(tmpdir(), 'a18-')), 's.json'); writeFileSync(f, JSON.stringify(script)); args.push('--script', f); }
  const child = spawn('nice', ['-n', '19', process.execPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  kids.push(child);
  const [url] = await waitLine(child, /http:\/\/127\.0\.0\.1:\d+/);
  return { child, url };
}

export function writeConfig(obj) {
  const dir = mkdtempSync(join(tmpdir(), 'a18cfg-'));
  const f = join(dir, 'detour.json');
  writeFileSync(f, JSON.stringify(obj, null, 1));
  return f;
}

export function twoEndpointConfig(a, b, extra = {}) {
  return {
    endpoints: [
      { name: 'primary', baseUrl: `${a}/v1`, apiKey: 'sk-p', priority: 0 },
      { name: 'backup', baseUrl: `${b}/v1`, apiKey: 'sk-b', priority: 1 },
    ],
    gatewayKeys: [{ env: 'DETOUR_GATEWAY_KEY' }],
    ...extra,
  };
}

/** Spawn the gateway: pre = command prefix (e.g. ['prlimit','--nofile=256:256']), stdio for stdout. */
export function spawnGateway({ config, args = [], pre = [], nodeFlags = [], stdio = ['ignore', 'pipe', 'pipe'], env = {}, cwd } = {}) {
  const cmd = ['nice', '-n', '19', ...pre, process.execPath, ...nodeFlags, CLI, '--config', config, '--port', '0', ...args];
  const child = spawn(cmd[0], cmd.slice(1), { stdio, env: { ...process.env, DETOUR_GATEWAY_KEY: 'gk', ...env }, cwd });
  kids.push(child);
  return child;
}

export async function startGateway(opts) {
  const child = spawnGateway(opts);
  const [, url] = await waitLine(child, /listening on (http:\/\/[^\s]+)/);
  return { child, url };
}

export const chatBody = (stream = false, extra = {}) => JSON.stringify({ model: 'gpt-4.1-mini', stream, messages: [{ role: 'user', content: 'hi' }], ...extra });
export async function chat(url, { stream = false, timeoutMs = 5000, body } = {}) {
  const t0 = Date.now();
  try {
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST', headers: { authorization: 'Bearer gk', 'content-type': 'application/json' },
      body: body ?? chatBody(stream), signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return { status: res.status, ms: Date.now() - t0, text, endpoint: res.headers.get('x-detour-endpoint'), err: res.headers.get('x-detour-error') };
  } catch (e) { return { status: 'ERR', ms: Date.now() - t0, text: String(e.cause?.code ?? e.name ?? e) }; }
}
export async function healthz(url, timeoutMs = 2000) {
  const t0 = Date.now();
  try { const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(timeoutMs) }); return { status: r.status, ms: Date.now() - t0, body: await r.text() }; }
  catch (e) { return { status: 'ERR', ms: Date.now() - t0, body: String(e.cause?.code ?? e.name) }; }
}
export const exitOf = (child, ms = 60000) => new Promise((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode });
  const t = setTimeout(() => resolve({ code: 'still running', signal: null }), ms);
  child.once('exit', (code, signal) => { clearTimeout(t); resolve({ code, signal }); });
});
export const cpuOf = (pid) => { try { const s = require('fs'); } catch {} return null; };
