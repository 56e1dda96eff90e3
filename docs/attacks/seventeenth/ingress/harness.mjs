// Shared harness: chaos upstream + gateway, both on 127.0.0.1:0, killed on exit.
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
export const REPO = '/tmp/attack17b/repo';
const children = [];
const killAll = () => { for (const c of children) { try { c.kill('SIGKILL'); } catch {} } };
process.on('exit', killAll);
export const hardTimeout = (ms) => setTimeout(() => { console.log(`HARD TIMEOUT ${ms}ms`); killAll(); process.exit(3); }, ms).unref?.() ?? 0;
const waitLine = (child, re, ms = 15000) => new Promise((resolve, reject) => {
  let buf = '';
  const t = setTimeout(() => reject(new Error('timeout waiting for ' + re + ' got ' + buf)), ms);
  const on = (d) => { buf += d; const m = re.exec(buf); if (m) { clearTimeout(t); resolve(m); } };
  child.stdout.on('data', on); child.stderr.on('data', (d) => { buf += d; });
});
export async function startChaos(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'a17b-'));
  const args = ['-n', '19', 'node', `${REPO}/packages/testkit/dist/cli.js`, '--port', '0', '--name', options.name ?? 'primary'];
  if (options.script) { const f = join(dir, 'script.json'); writeFileSync(f, JSON.stringify(options.script)); args.push('--script', f); }
  const c = spawn('nice', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(c);
  const m = await waitLine(c, /(http:\/\/127\.0\.0\.1:\d+)/);
  return { url: m[1], child: c };
}
export async function startGateway(chaosUrl, extra = {}, { env = {}, args = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'a17b-'));
  const cfg = {
    endpoints: [
      { name: 'primary', baseUrl: `${chaosUrl}/v1`, apiKey: 'sk-upstream-SECRET-primary-1234567890', priority: 0 },
      { name: 'claude-primary', provider: 'anthropic', baseUrl: `${chaosUrl}/v1`, apiKey: 'sk-ant-upstream-SECRET-1234567890', priority: 0 },
    ],
    gatewayKeys: [{ env: 'DETOUR_GATEWAY_KEY' }],
    ...extra,
  };
  const f = join(dir, 'detour.json'); writeFileSync(f, JSON.stringify(cfg));
  const c = spawn('nice', ['-n', '19', 'node', `${REPO}/apps/worker/dist/cli.js`, '--config', f, '--port', '0', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DETOUR_GATEWAY_KEY: 'gk-test-key', ...env } });
  children.push(c);
  c.out = ''; c.err = '';
  c.stdout.on('data', (d) => { c.out += d; }); c.stderr.on('data', (d) => { c.err += d; });
  const m = await waitLine(c, /listening on (http:\/\/127\.0\.0\.1:(\d+))/);
  return { url: m[1], port: Number(m[2]), child: c };
}
// Raw exchange: send bytes, collect everything until close or quiet ms.
export function raw(port, payload, { quietMs = 1500, maxMs = 8000, halfClose = false } = {}) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let data = ''; let t; let done = false;
    const fin = (why) => { if (done) return; done = true; clearTimeout(t); clearTimeout(hard); s.destroy(); resolve({ data, why }); };
    const hard = setTimeout(() => fin('max'), maxMs);
    const arm = () => { clearTimeout(t); t = setTimeout(() => fin('quiet'), quietMs); };
    s.on('connect', () => { if (Array.isArray(payload)) { for (const p of payload) s.write(p); } else s.write(payload); if (halfClose) s.end(); arm(); });
    s.on('data', (d) => { data += d; arm(); });
    s.on('end', () => fin('end')); s.on('error', (e) => fin('error ' + e.code));
  });
}
export const AUTH = 'authorization: Bearer gk-test-key\r\n';
export const CHAT = JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }] });
export const CHAT_STREAM = JSON.stringify({ model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'Hi' }] });
export const summarize = (data) => data.split('\r\n\r\n').map((b) => b.split('\r\n')[0]).filter((l) => /^HTTP\//.test(l));
