// Workload (g), quota (issue 17): three upstreams behind the testkit's honest token-bucket limiter (different RPM/TPM
// and header dialects, starting empty), driven open-loop at shares of their aggregate capacity with a seeded mix of
// prompt sizes and priorities, every request with a deadline. Subjects: Detour with admission off (today), Detour
// with admission on, Portkey (loadbalance over fallback chains), and two Detour gateways sharing one redis-server,
// admission off and on. Every run starts fresh: new upstreams (empty buckets), new subject processes, an empty Redis.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runToJson, spawnCommand, spawnNode, stopChild, waitForLine } from '../child-processes.mjs';
import { assertLoopbackListener } from '../servers/loopback-check.mjs';
import { portkeyDirectory } from '../servers/portkey-install.mjs';
import { quotaSettings } from '../settings.mjs';
import { rotated } from './rotation.mjs';

const cacheDirectory = fileURLToPath(new URL('../../.cache/', import.meta.url));
const gatewayCli = fileURLToPath(new URL('../../../apps/worker/dist/cli.js', import.meta.url));
const upstreamsScript = fileURLToPath(new URL('../servers/quota-upstreams.mjs', import.meta.url));
const loadScript = fileURLToPath(new URL('../load/quota-load.mjs', import.meta.url));
const loopbackOnly = fileURLToPath(new URL('../servers/loopback-only.mjs', import.meta.url));
const portkeyStart = `${portkeyDirectory}node_modules/@portkey-ai/gateway/build/start-server.js`;
const PATH = '/v1/chat/completions';
const GATEWAY_KEY = 'gk-bench';
const keyOf = (name) => `sk-bench-${name}`;

export const quotaSubjectLabels = {
  'detour-off': 'Detour, admission off (today)',
  'detour-on': 'Detour, admission on',
  portkey: 'Portkey 1.15.2 (loadbalance + fallback)',
  'fleet-off': '2 × Detour + Redis, admission off',
  'fleet-on': '2 × Detour + Redis, admission on',
};

/**
 * Whether this build's router has admission (the `router.admission` options of docs/quota.md): read from the built
 * @detour/core the gateway runs, since its options schema is strict and would refuse an unknown key.
 */
const coreDist = fileURLToPath(new URL('../../../packages/core/dist/', import.meta.url));
export const admissionAvailable = () => {
  try {
    return readdirSync(coreDist).some((file) => file.endsWith('.js') && readFileSync(`${coreDist}${file}`, 'utf8').includes('maxQueueLength'));
  } catch {
    return false;
  }
};

/**
 * Router options for admission off and on. Admission is on by default once it exists, so "off" (today's
 * behaviour) must say so; before it exists both are empty and the "on" subjects are reported as not run.
 */
const admissionOptions = (on) => (admissionAvailable() ? { admission: { enabled: on } } : {});
/** The response header, if any, in which the gateway reports how long a request waited in its queue (ms). */
export const queueWaitHeader = undefined;

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** Expected tokens per request (prompt + completion) of the configured mix. */
export const expectedTokensPerRequest = () =>
  quotaSettings.completionTokens +
  quotaSettings.mix.reduce((sum, size) => sum + size.share * ((size.minTokens + size.maxTokens) / 2), 0) / quotaSettings.mix.reduce((sum, size) => sum + size.share, 0);

/** An upstream's capacity in requests/s for a mean request size: whichever of its two buckets binds. */
export const capacityOf = (upstream, meanTokens) => Math.min(upstream.rpm, upstream.tpm / meanTokens) / 60;

const startUpstreams = async (cpu) => {
  const specs = quotaSettings.upstreams.map((upstream, index) => ({
    ...upstream,
    seed: quotaSettings.seed + index,
    latency: quotaSettings.latency,
    completionTokens: quotaSettings.completionTokens,
    initialFill: quotaSettings.initialFill,
  }));
  const child = spawnNode({ name: 'quota upstreams', args: [upstreamsScript, JSON.stringify(specs)], cpu, ipc: true });
  const [line] = await waitForLine(child, /\{"quotaUpstreams".*\}/);
  const urls = JSON.parse(line).quotaUpstreams;
  for (const url of Object.values(urls)) assertLoopbackListener(Number(new URL(url).port));
  const control = (type) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`quota upstreams did not answer "${type}"`)), 5000);
      child.once('message', (message) => {
        clearTimeout(timer);
        resolve(message.stats);
      });
      child.send({ id: 1, type });
    });
  return { urls, stats: () => control('stats'), arm: () => control('arm'), stop: () => stopChild(child) };
};

const detourConfig = (urls, weights, { admission, redisUrl }) => ({
  endpoints: quotaSettings.upstreams.map((upstream) => ({
    name: upstream.name,
    baseUrl: `${urls[upstream.name]}/v1`,
    apiKey: keyOf(upstream.name),
    priority: 0,
    weight: Number(weights[upstream.name].toFixed(3)),
  })),
  gatewayKeys: [GATEWAY_KEY],
  router: { deadlineMs: quotaSettings.deadlineMs, ...admissionOptions(admission) },
  shutdownGraceMs: 1000,
  ...(redisUrl ? { store: { redis: redisUrl } } : {}),
});

const startDetour = async (name, config, cpu) => {
  mkdirSync(cacheDirectory, { recursive: true });
  const configFile = `${cacheDirectory}quota-${name}.json`;
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const child = spawnNode({ name: `Detour ${name}`, args: [gatewayCli, '--config', configFile, '--port', '0'], cpu });
  const [, origin] = await waitForLine(child, /Detour gateway listening on (http:\/\/\S+)/, 20_000);
  assertLoopbackListener(Number(new URL(origin).port));
  return { origin, child, target: { origin, path: PATH, headers: { authorization: `Bearer ${GATEWAY_KEY}` } } };
};

/** Portkey: load-balanced by capacity over three fallback chains, each starting at a different upstream. */
const portkeyConfig = (urls, weights) => {
  const names = quotaSettings.upstreams.map((upstream) => upstream.name);
  const target = (name) => ({ provider: 'openai', api_key: keyOf(name), custom_host: `${urls[name]}/v1` });
  return {
    strategy: { mode: 'loadbalance' },
    targets: names.map((first, index) => ({
      weight: Number(weights[first].toFixed(3)),
      strategy: { mode: 'fallback', on_status_codes: [429, 500, 502, 503, 504] },
      targets: rotated(names, index).map(target),
    })),
  };
};

const startPortkey = async (cpu) => {
  const port = await freePort();
  const child = spawnNode({ name: 'Portkey', args: ['--import', loopbackOnly, portkeyStart, '--headless', `--port=${port}`], cpu });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Portkey exited (${child.exitCode}):\n${child.output}`);
    try {
      const response = await fetch(`${origin}/`);
      if (response.ok && (await response.text()).includes('AI Gateway says hey')) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`Portkey not ready after 20 s:\n${child.output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assertLoopbackListener(port);
  return { origin, child };
};

/** A redis-server of its own on a free loopback port, nothing persisted; pinned with the upstreams. */
const startRedis = async (cpu) => {
  const port = await freePort();
  const child = spawnCommand({ name: 'redis-server', command: 'redis-server', args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], cpu });
  await waitForLine(child, /Ready to accept connections/);
  assertLoopbackListener(port);
  const flush = () => {
    const result = spawnSync('redis-cli', ['-p', String(port), 'flushall'], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`redis-cli flushall failed: ${result.stderr}`);
  };
  return { url: `redis://127.0.0.1:${port}`, flush, stop: () => stopChild(child) };
};

const redisAvailable = () => spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

/** The gateway's own quota, admission and queue metrics after a run (Prometheus text, the relevant lines). */
const scrapeMetrics = async (origin) => {
  try {
    const text = await (await fetch(`${origin}/metrics`)).text();
    return text.split('\n').filter((line) => /quota|admission|queue|estimate/i.test(line) && !line.startsWith('#') && !line.includes('_bucket{'));
  } catch (error) {
    return [`scrape failed: ${error.message}`];
  }
};

const oneRun = async ({ name, level, settings, cpus, capacity, weights, redis }) => {
  const upstreams = await startUpstreams(cpus.upstream);
  const started = [];
  try {
    let targets;
    if (name === 'portkey') {
      const portkey = await startPortkey(cpus.subject);
      started.push(portkey.child);
      targets = [{ origin: portkey.origin, path: PATH, headers: { 'x-portkey-config': JSON.stringify(portkeyConfig(upstreams.urls, weights)) } }];
    } else {
      const admission = name.endsWith('-on');
      const fleet = name.startsWith('fleet');
      if (fleet) redis.flush();
      const config = detourConfig(upstreams.urls, weights, { admission, redisUrl: fleet ? redis.url : undefined });
      const count = fleet ? 2 : 1;
      targets = [];
      for (let index = 0; index < count; index += 1) {
        const gateway = await startDetour(`${name}-${index + 1}`, config, cpus.subject);
        started.push(gateway.child);
        targets.push(gateway.target);
      }
    }
    const rate = level * capacity;
    const spec = {
      targets,
      rate,
      warmupMs: settings.warmupMs,
      durationMs: settings.durationMs,
      deadlineMs: quotaSettings.deadlineMs,
      abortAfterMs: quotaSettings.deadlineMs + quotaSettings.abortGraceMs,
      seed: quotaSettings.seed,
      mix: quotaSettings.mix,
      priorities: quotaSettings.priorities,
      maxTokens: quotaSettings.maxTokens,
      model: quotaSettings.model,
      waitHeader: queueWaitHeader,
    };
    // Warm the subject's JIT with the same traffic (a cold Portkey queued requests for seconds), then restart the
    // upstreams: empty buckets again, which is also what the warm-up taught the gateway about them.
    // Its requests are abandoned shortly after it ends: only the JIT's warmth matters, not their answers.
    const prewarm = { ...spec, warmupMs: 0, durationMs: settings.prewarmMs, abortAfterMs: 1000, seed: quotaSettings.seed + 1000 };
    await runToJson({ name: 'quota prewarm', args: [loadScript, JSON.stringify(prewarm)], cpu: cpus.load, timeoutMs: settings.prewarmMs + prewarm.abortAfterMs + 30_000 });
    // The gateway's counters before the measured load (the prewarm's are subtracted in the report).
    const metricsBefore = name === 'portkey' ? [] : (await Promise.all(targets.map((target) => scrapeMetrics(target.origin)))).flat();
    await upstreams.arm();
    const load = await runToJson({ name: 'quota load', args: [loadScript, JSON.stringify(spec)], cpu: cpus.load, timeoutMs: settings.warmupMs + settings.durationMs + quotaSettings.deadlineMs + 30_000 });
    const upstreamStats = await upstreams.stats();
    const metrics = name === 'portkey' ? [] : (await Promise.all(targets.map((target) => scrapeMetrics(target.origin)))).flat();
    return { name, level, rate, load, upstream: upstreamStats, metrics, metricsBefore, loadAverage: loadavg()[0] };
  } finally {
    for (const child of started) await stopChild(child, 3000);
    await upstreams.stop();
  }
};

/** Whether a subject can run here; a reason when it cannot. */
const unavailable = (name) => {
  if (name.endsWith('-on') && !admissionAvailable()) return 'admission options not available in this build (the quota branch is not merged)';
  if (name.startsWith('fleet') && !redisAvailable()) return 'redis-server is not installed (apt-get install -y redis-server)';
  return undefined;
};

export const runQuota = async ({ settings, loadCpu, subjectCpu, upstreamCpu, log }) => {
  const quota = settings.quota;
  const meanTokens = expectedTokensPerRequest();
  const weights = Object.fromEntries(quotaSettings.upstreams.map((upstream) => [upstream.name, capacityOf(upstream, meanTokens)]));
  const capacity = Object.values(weights).reduce((sum, value) => sum + value, 0);
  const skipped = {};
  const subjects = quota.subjects.filter((name) => {
    const reason = unavailable(name);
    if (reason) {
      skipped[name] = reason;
      log(`quota: ${name} not run: ${reason}`);
    }
    return reason === undefined;
  });
  const redis = subjects.some((name) => name.startsWith('fleet')) ? await startRedis(upstreamCpu) : undefined;
  const runs = [];
  try {
    // Repetitions interleave (every subject at every level once, then again), each in a rotated order, so a slow
    // spell of the shared machine spreads over subjects instead of landing on one.
    for (let repetition = 0; repetition < quota.repetitions; repetition += 1) {
      for (const [levelIndex, level] of quota.levels.entries()) {
        // A level no goal is judged at runs once: it shows the curve between the two that are.
        if (repetition > 0 && (quota.onceLevels ?? []).includes(level)) continue;
        for (const name of rotated(subjects, levelIndex + repetition)) {
          const run = await oneRun({ name, level, settings: quota, cpus: { upstream: upstreamCpu, subject: subjectCpu, load: loadCpu }, capacity, weights, redis });
          runs.push({ ...run, repetition });
          const measured = run.load.records.filter((record) => record.measured);
          const served = measured.filter((record) => record.status >= 200 && record.status < 300 && record.latencyMs <= quotaSettings.deadlineMs).length;
          const limited = Object.values(run.upstream).reduce((sum, stats) => sum + (stats.byOutcome['rate-limit'] ?? 0), 0);
          log(`quota rep ${repetition + 1}/${quota.repetitions} ${Math.round(level * 100)} % ${name.padEnd(10)} ${run.load.records.length} sent, upstream 429s ${limited}, served in time ${served}/${measured.length}`);
        }
      }
    }
  } finally {
    await redis?.stop();
  }
  // Every record, for re-summarising without a rerun (gitignored; not in the report).
  mkdirSync(cacheDirectory, { recursive: true });
  writeFileSync(`${cacheDirectory}quota-runs.json`, JSON.stringify(runs));
  return { meanTokensExpected: meanTokens, capacity, weights, subjects: quota.subjects, skipped, runs, redisVersion: redis ? redisVersion() : undefined };
};

const redisVersion = () => /v=(\S+)/.exec(spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout ?? '')?.[1];
