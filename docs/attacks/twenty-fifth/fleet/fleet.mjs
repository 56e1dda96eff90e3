// Fleet-at-volume harness (attack 25). Starts one redis-server, two chaos upstreams (in this process), N gateway
// processes (apps/worker/dist/cli.js) and an open-loop load generator spread round-robin over the members; scripts
// the upstreams per scenario; prints and writes a JSON summary. Every child is started under `timeout` and killed at
// the end.
//
//   node fleet.mjs --scenario retryafter --members 4 --store redis --rate 40 --seconds 30
//
// --store redis | memory. --members 1 with --store memory is "one instance at the same total load".
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChaosUpstream } from '../../../../packages/testkit/dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../../..');
const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
const scenario = args.scenario ?? 'retryafter';
const members = Number(args.members ?? 4);
const storeKind = args.store ?? 'redis';
const rate = Number(args.rate ?? 40);
const seconds = Number(args.seconds ?? 30);
const label = args.label ?? `${scenario}-${storeKind}-${members}`;
const skew0 = Number(args.skew0 ?? 0); // member 0's clock skew in ms (skew.mjs)
const redisAction = args.redis ?? 'none'; // none | pause:<atS>:<forS> | restart:<atS>:<downS>
const outDir = join(here, 'out');
mkdirSync(outDir, { recursive: true });

const children = [];
const killAll = () => {
  for (const child of children) {
    try { process.kill(child.pid, 'SIGCONT'); } catch {}
    try { child.kill('SIGTERM'); } catch {}
  }
};
process.on('exit', killAll);
process.on('SIGINT', () => { killAll(); process.exit(130); });
const hardStop = setTimeout(() => { console.error('hard timeout'); killAll(); process.exit(3); }, (seconds + 90) * 1000);
hardStop.unref();

const freePort = () => new Promise((resolve) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- redis
let redis;
let redisPort;
const startRedisProcess = async () => {
  redis = spawn('nice', ['-n', '19', 'timeout', String(seconds + 80), '/usr/bin/redis-server', '--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmpdir()], { stdio: 'ignore' });
  children.push(redis);
  await sleep(300);
};
// The pid of redis-server itself (child of nice → timeout → redis-server, exec'd through nice).
const redisPid = async () => {
  const { execSync } = await import('node:child_process');
  return Number(execSync(`pgrep -f "redis-server 127.0.0.1:${redisPort}" || pgrep -f "redis-server.*${redisPort}"`).toString().trim().split('\n')[0]);
};
if (storeKind === 'redis') {
  redisPort = await freePort();
  await startRedisProcess();
}

// ---- upstreams
const latency = { type: 'fixed', ms: 30 };
const primaryOptions = { name: 'primary', latency, recordLimit: 200000 };
const scenarios = {
  // Honest token bucket on the primary: a provider's shared limit, 10 req/s, bucket starts empty-ish.
  limiter: { primary: { limiter: { requestsPerMinute: 600, initialFill: 0.1 } } },
  // 429 + Retry-After 2 s for every primary request from 5 s to 25 s.
  retryafter: { script: [{ when: { afterMs: 5000, forMs: 20000 }, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 2000 } }] },
  // 500s on the primary from 5 s to 35 s: breaker opens, half-open probes.
  breaker: { script: [{ when: { afterMs: 5000, forMs: 30000 }, fault: { type: 'status', status: 500 } }] },
  // insufficient_quota on the primary from 5 s to 40 s: disables with no reset (firstDisableMs from the config).
  disable: { script: [{ when: { afterMs: 5000, forMs: 35000 }, fault: { type: 'insufficient-quota' } }] },
  // Both endpoints fail half their requests with a 500 from 5 s on; breakers made lenient, so the budget is what caps.
  budget: {
    script: [{ when: { afterMs: 5000, probability: 0.6 }, fault: { type: 'status', status: 500 } }],
    backupScript: [{ when: { afterMs: 5000, probability: 0.6 }, fault: { type: 'status', status: 500 } }],
  },
};
const plan = scenarios[scenario];
const primary = await startChaosUpstream({ ...primaryOptions, ...(plan.primary ?? {}), script: plan.script ?? [], seed: 7 });
const backup = await startChaosUpstream({ name: 'backup', latency, recordLimit: 200000, script: plan.backupScript ?? [], seed: 11 });

// ---- gateway configs
const routerOptions = {
  limiter: {},
  retryafter: {},
  breaker: {},
  disable: { cooldown: { firstDisableMs: 3000, disableMs: 12000 } },
  budget: { breaker: { consecutiveFailures: 100000, failureRate: 1, minimumVolume: 100000 } },
}[scenario];
const dir = mkdtempSync(join(tmpdir(), 'attack25-'));
const config = {
  endpoints: [
    { name: 'primary', baseUrl: primary.baseUrl, apiKey: 'sk-attack25-primary-key', priority: 0 },
    { name: 'backup', baseUrl: backup.baseUrl, apiKey: 'sk-attack25-backup-key', priority: 1 },
  ],
  gatewayKeys: ['gk-attack25-key'],
  router: routerOptions,
  ...(storeKind === 'redis' ? { store: { redis: `redis://127.0.0.1:${redisPort}`, prefix: `a25-${label}:` } } : {}),
};
const configPath = join(dir, 'detour.json');
writeFileSync(configPath, JSON.stringify(config, null, 2));

const gateways = [];
const stderrs = [];
for (let index = 0; index < members; index += 1) {
  const preload = index === 0 && skew0 !== 0 ? ['--import', join(here, 'skew.mjs')] : [];
  const child = spawn('nice', ['-n', '19', 'timeout', String(seconds + 75), process.execPath, ...preload, join(root, 'apps/worker/dist/cli.js'), '--config', configPath, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SKEW_MS: String(index === 0 ? skew0 : 0) } });
  children.push(child);
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  stderrs.push(() => err);
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error(`member ${index} did not start: ${err}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(t); resolve(m[1]); }
    });
  });
  gateways.push(url);
}

// ---- load (open loop)
const results = [];
const body = JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }] });
const fire = async (member, at) => {
  const started = Date.now();
  try {
    const response = await fetch(`${gateways[member]}/v1/chat/completions`, {
      method: 'POST', headers: { authorization: 'Bearer gk-attack25-key', 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(30000),
    });
    await response.arrayBuffer();
    results.push({ member, at, ms: Date.now() - started, status: response.status, endpoint: response.headers.get('x-detour-endpoint'), error: response.headers.get('x-detour-error') });
  } catch (error) {
    results.push({ member, at, ms: Date.now() - started, status: 0, error: String(error.cause?.code ?? error.name) });
  }
};

const t0 = Date.now();
primary.setScript(plan.script ?? []); // windows start now
backup.setScript(plan.backupScript ?? []);
primary.resetStats();
backup.resetStats();

// Redis chaos
const redisEvents = [];
if (redisAction !== 'none' && storeKind === 'redis') {
  const [kind, atS, forS] = redisAction.split(':');
  setTimeout(async () => {
    const pid = await redisPid();
    if (kind === 'pause') {
      redisEvents.push({ kind: 'SIGSTOP', at: Date.now() - t0 });
      process.kill(pid, 'SIGSTOP');
      setTimeout(() => { process.kill(pid, 'SIGCONT'); redisEvents.push({ kind: 'SIGCONT', at: Date.now() - t0 }); }, Number(forS) * 1000);
    } else if (kind === 'restart') {
      redisEvents.push({ kind: 'kill', at: Date.now() - t0 });
      process.kill(pid, 'SIGKILL');
      setTimeout(async () => { await startRedisProcess(); redisEvents.push({ kind: 'start', at: Date.now() - t0 }); }, Number(forS) * 1000);
    }
  }, Number(atS) * 1000);
}

const inflight = new Set();
const total = Math.round(rate * seconds);
for (let i = 0; i < total; i += 1) {
  const due = t0 + (i * 1000) / rate;
  const wait = due - Date.now();
  if (wait > 0) await sleep(wait);
  const p = fire(i % members, Date.now() - t0);
  inflight.add(p);
  p.finally(() => inflight.delete(p));
}
await Promise.all(inflight);
const elapsed = Date.now() - t0;

// ---- metrics per member
const metrics = [];
for (const url of gateways) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const pick = (re) => [...text.matchAll(re)].map((m) => [m[1], Number(m[2])]);
  metrics.push({
    attempts: Object.fromEntries(pick(/^detour_attempts_total\{(.*?)\} (\S+)$/gm)),
    retries: Object.fromEntries(pick(/^detour_retries_total\{(.*?)\} (\S+)$/gm)),
    requests: Object.fromEntries(pick(/^detour_requests_total\{(.*?)\} (\S+)$/gm)),
    rss: Number(/^process_resident_memory_bytes (\S+)$/m.exec(text)?.[1]),
    heap: Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1]),
  });
}

const p = primary.stats();
const b = backup.stats();
const rel = (records) => records.map((r) => ({ at: r.at - t0, outcome: r.outcome }));
const primaryRecords = rel(p.requests.filter((r) => r.path === '/v1/chat/completions'));
const backupRecords = rel(b.requests.filter((r) => r.path === '/v1/chat/completions'));
const ok = results.filter((r) => r.status === 200).length;
const byStatus = {};
for (const r of results) byStatus[`${r.status}${r.error ? `:${r.error}` : ''}`] = (byStatus[`${r.status}${r.error ? `:${r.error}` : ''}`] ?? 0) + 1;
const upstreamTotal = primaryRecords.length + backupRecords.length;
const lat = results.map((r) => r.ms).sort((a, b2) => a - b2);
const q = (f) => lat[Math.min(lat.length - 1, Math.floor(f * lat.length))];
const summary = {
  label, scenario, members, store: storeKind, rate, seconds, elapsed, requests: results.length, ok, byStatus,
  upstream: { primary: p.byOutcome, backup: b.byOutcome, total: upstreamTotal, perSuccess: +(upstreamTotal / Math.max(1, ok)).toFixed(3) },
  latencyMs: { p50: q(0.5), p99: q(0.99), max: lat.at(-1) },
  redisEvents,
  memberMetrics: metrics,
  stderr: stderrs.map((f) => f().slice(0, 2000)),
};
writeFileSync(join(outDir, `${label}.json`), JSON.stringify({ summary, primaryRecords, backupRecords, results }, null, 0));
console.log(JSON.stringify(summary, null, 1));

// ---- stop
for (const child of children) { try { child.kill('SIGTERM'); } catch {} }
await Promise.all([primary.close(), backup.close()]);
await sleep(500);
killAll();
process.exit(0);
