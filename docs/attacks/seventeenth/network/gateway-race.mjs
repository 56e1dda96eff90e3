// The gateway (whose pool cannot be configured) against an upstream closing idle sockets after 1 s, no Keep-Alive hint.
import { spawn } from 'node:child_process'; import fs from 'node:fs';
import { startHttp, startRaw, hardTimeout } from './lib.mjs';
import { startRawHttp } from './rawhttp.mjs';
hardTimeout(100000);
const primary = await startRawHttp({ tag: 'primary', idleCloseMs: 1000, finDelayMs: 50, tlsCert: 'good' });
const bStats = {}; const backup = await startHttp('paid-backup', bStats);
const hang = await startRaw(() => {});
const start = async (cfg, name) => {
  fs.writeFileSync(`/tmp/attack17a/scripts/${name}.json`, JSON.stringify(cfg));
  const gw = spawn('nice', ['-n', '19', 'node', '/tmp/attack17a/repo/apps/worker/dist/cli.js', '--config', `/tmp/attack17a/scripts/${name}.json`, '--port', '0'], { env: { ...process.env, NODE_EXTRA_CA_CERTS: '/tmp/attack17a/certs/ca.crt' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = ''; gw.stdout.on('data', (d) => (out += d)); gw.stderr.on('data', (d) => (out += d));
  const port = await new Promise((res, rej) => { const t = setInterval(() => { const m = /127\.0\.0\.1:(\d+)/.exec(out); if (m) { clearInterval(t); res(+m[1]); } }, 50); setTimeout(() => rej(new Error(out)), 15000); });
  return { gw, port, out: () => out };
};
const post = async (port) => { const r = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }) }); return { status: r.status, text: await r.text() }; };
{
  const { gw, port } = await start({ allowUnauthenticated: true, endpoints: [
    { name: 'primary', baseUrl: `https://localhost:${primary.port}/v1`, apiKey: 'k', priority: 0 },
    { name: 'backup', baseUrl: `http://127.0.0.1:${backup.port}/v1`, apiKey: 'k', priority: 1 }] }, 'gateway-race');
  let byBackup = 0, errors = 0; const N = 24;
  for (let i = 0; i < N; i++) { await new Promise((r) => setTimeout(r, 1000 + Math.random() * 60)); const r = await post(port); if (r.status !== 200) errors++; else if (r.text.includes('paid-backup')) byBackup++; }
  const st = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.text()).catch((e) => e.message);
  console.log(`gateway: ${N} requests 1.00-1.06 s apart: errors=${errors} servedByPaidBackup=${byBackup}; primary served=${primary.stats.requests} resetsInRaceWindow=${primary.stats.resets}`);
  console.log('healthz:', st.slice(0, 400));
  gw.kill('SIGTERM'); await new Promise((r) => gw.on('exit', r));
}
{
  const { gw, port } = await start({ allowUnauthenticated: true, router: { deadlineMs: 1000 }, endpoints: [{ name: 'hang', baseUrl: `https://127.0.0.1:${hang.port}/v1`, apiKey: 'k' }] }, 'gateway-hang');
  const r = await post(port); console.log('stalled-handshake request:', r.status, r.text.slice(0, 160));
  const t = Date.now(); gw.kill('SIGTERM'); await new Promise((r) => gw.on('exit', r)); console.log(`SIGTERM with no request in flight -> exit after ${Date.now() - t} ms`);
}
primary.close(); hang.kill(); process.exit(0);
