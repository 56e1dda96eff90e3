// One lying rate-limit reading, then an honest upstream (no rate-limit headers): how long until the endpoint serves again?
// usage: node starve.mjs <scenario> <upPort> <gwPort> <observeSec>
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
const [name, upPort, gwPort, obs] = [process.argv[2], process.argv[3], process.argv[4], Number(process.argv[5] || 150)];
const S = {
  limitNeg1: { 'x-ratelimit-limit-requests': '-1', 'x-ratelimit-remaining-requests': '-1', 'x-ratelimit-reset-requests': '1s' },
  limit0: { 'x-ratelimit-limit-requests': '0', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1s' },
  tokLimit1: { 'x-ratelimit-limit-tokens': '1', 'x-ratelimit-remaining-tokens': '1', 'x-ratelimit-reset-tokens': '1s' },
  tokLimit1noReset: { 'x-ratelimit-limit-tokens': '1', 'x-ratelimit-remaining-tokens': '0' },
  tokLimit10: { 'x-ratelimit-limit-tokens': '10', 'x-ratelimit-remaining-tokens': '10', 'x-ratelimit-reset-tokens': '1s' },
};
const cfg = `/tmp/attack6a/starve-${name}-${gwPort}.json`;
writeFileSync(cfg, JSON.stringify({ endpoints: [{ name: 'evil', ...(process.env.PROVIDER ? { provider: process.env.PROVIDER } : {}), baseUrl: `http://127.0.0.1:${upPort}/v1`, apiKey: 'sk-x' }], gatewayKeys: ['gk-a'], router: { deadlineMs: 4000, admission: { maxQueueMs: 2000, maxQueueLength: 5 } } }));
const up = spawn('node', ['/tmp/attack6a/upstream.mjs', upPort], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LIFE_MS: String((obs + 30) * 1000) } });
await new Promise((r) => up.stdout.once('data', r));
const gw = spawn('node', ['/work/main/apps/worker/dist/cli.js', '--config', cfg, '--port', gwPort], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((r) => gw.stdout.once('data', r));
const stop = () => { gw.kill('SIGKILL'); up.kill('SIGKILL'); };
const t = setTimeout(() => { stop(); process.exit(2); }, (obs + 20) * 1000);
await fetch(`http://127.0.0.1:${upPort}/__mode`, { method: 'POST', body: JSON.stringify({ seq: [{ status: 200, headers: S[name] }] }) });
const G = `http://127.0.0.1:${gwPort}`;
const t0 = Date.now(); const log = []; let upCount;
while (Date.now() - t0 < obs * 1000) {
  const r = await fetch(`${G}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer gk-a', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 }) });
  const body = await r.text();
  log.push([Math.round((Date.now() - t0) / 1000), r.status, r.headers.get('retry-after')]);
  if (log.length === 3) console.log(name, 'third answer body:', body.slice(0, 220), 'retry-after:', r.headers.get('retry-after'));
  await new Promise((r) => setTimeout(r, 2000));
}
const hz = await (await fetch(G + '/healthz')).json();
const m = await (await fetch(G + '/metrics')).text();
upCount = await (await fetch(`http://127.0.0.1:${upPort}/__count`)).text();
const compact = log.map(([s, st, ra]) => `${s}s:${st}${ra ? '/' + ra : ''}`);
console.log(name, 'upstream saw', upCount, 'requests; answers:', compact.slice(0, 6).join(' '), '...', compact.slice(-4).join(' '));
console.log(name, 'FULL', compact.join(' '));
console.log(name, 'ok count', log.filter((x) => x[1] === 200).length, 'of', log.length, 'healthz quota', JSON.stringify(hz.endpoints[0].quotaRemaining), JSON.stringify(hz.endpoints[0].quotaResetSeconds), 'refused metric:', m.split('\n').filter((l) => l.startsWith('detour_admissions_refused_total')).join(' | '));
clearTimeout(t); stop(); process.exit(0);
