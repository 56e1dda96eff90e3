// Workload (b″): where the gateway's CPU goes, by layer. Six fresh processes measured like (b), interleaved: the
// bare proxy; Detour's router alone on node:http (servers/router-proxy.mjs), with and without admission, rescue and
// tracing; the gateway with those off; the gateway with admission alone off; the gateway as configured everywhere
// else in the bench. Each layer's CPU over the one it builds on (`base`) is what that layer costs. Then one profiled
// run each of the bare proxy and the gateway, charged to components (profile/components.mjs), so every bench run
// records where the microseconds go.
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runToJson, spawnNode, stopChild, waitForLine } from '../child-processes.mjs';
import { cpuSeconds } from '../process-cpu.mjs';
import { componentTimes, components, readProfile } from '../profile/components.mjs';
import { monotonicUs } from '../profile/monotonic.mjs';
import { profileFile } from '../profile/profile-report.mjs';
import { assertLoopbackListener } from '../servers/loopback-check.mjs';
import { requestBody } from '../settings.mjs';
import { spread } from '../summary-statistics.mjs';
import { detourConfig, keys, startDetourGateway, startSubject } from '../subjects.mjs';
import { rotated } from './rotation.mjs';

const maxThroughput = fileURLToPath(new URL('../load/max-throughput.mjs', import.meta.url));
const routerProxy = fileURLToPath(new URL('../servers/router-proxy.mjs', import.meta.url));
const profileDirectory = fileURLToPath(new URL('../../.cache/decomposition-profiles/', import.meta.url));

/** The optional per-request work switched off in the lean variants; each is on by default. */
export const leanRouter = { admission: { enabled: false }, rescue: 'off' };

/** The layers, bottom up: each adds one thing to the layer it is compared with (`base`). */
export const layers = [
  { name: 'bare', label: 'bare undici proxy', base: undefined, adds: '—' },
  { name: 'router-lean', label: 'router on node:http, lean', base: 'bare', adds: "Detour's router: selection, breaker, deadline, classification, provider signals, pricing, the JSON answer's parse" },
  { name: 'router', label: 'router on node:http, defaults', base: 'router-lean', adds: 'admission (quota), stream rescue readiness and the tracing hook, in the router alone' },
  { name: 'gateway-lean', label: 'gateway, lean', base: 'router-lean', adds: "the gateway layer: @hono/node-server and Hono, gateway keys, the route's checks, metrics from router events, header scrubbing and x-detour-* headers" },
  { name: 'gateway-no-admission', label: 'gateway, defaults with admission off', base: 'gateway-lean', adds: 'rescue readiness and tracing (auto), in the gateway' },
  { name: 'gateway', label: 'gateway, defaults (as benched)', base: 'gateway-no-admission', adds: "admission, in the gateway: the request's quota estimate, its reservation and settling, the quota headers read" },
];

const startRouterProxy = async (upstreamUrls, cpu, router, profile) => {
  if (profile) mkdirSync(profile, { recursive: true });
  const args = [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), routerProxy, '--upstream', upstreamUrls.main, '--key', keys.main, '--backup', upstreamUrls.backup, '--backup-key', keys.backup, '--router', JSON.stringify(router), '--port', '0'];
  const child = spawnNode({ name: 'router proxy', args, cpu });
  const [, origin] = await waitForLine(child, /listening on (http:\/\/\S+)/);
  assertLoopbackListener(Number(new URL(origin).port));
  return { name: 'router', origin, pid: child.pid, target: () => ({ origin, path: '/v1/chat/completions', headers: {} }), stop: () => stopChild(child) };
};

const startLayer = (name, upstreamUrls, cpu, profile) => {
  const config = detourConfig(upstreamUrls);
  switch (name) {
    case 'bare': return startSubject('bare', upstreamUrls, cpu, profile ? { profileDirectory: profile } : {});
    case 'router-lean': return startRouterProxy(upstreamUrls, cpu, { ...leanRouter, tracer: false });
    case 'router': return startRouterProxy(upstreamUrls, cpu, {});
    case 'gateway-lean': return startDetourGateway({ ...config, router: { ...config.router, ...leanRouter }, tracing: 'off' }, cpu, 'detour-lean-config.json');
    case 'gateway-no-admission': return startDetourGateway({ ...config, router: { ...config.router, admission: { enabled: false } } }, cpu, 'detour-no-admission-config.json');
    case 'gateway': return startDetourGateway(config, cpu, 'detour-decomposition-config.json', profile ? { profileDirectory: profile } : {});
    default: throw new Error(`unknown layer ${name}`);
  }
};

const measure = async (subject, settings, loadCpu) => {
  const { connections, durationMs, warmupMs } = settings.throughput;
  const spec = { ...subject.target('single'), body: requestBody, connections, durationMs, warmupMs };
  const cpuBefore = cpuSeconds(subject.pid);
  const from = monotonicUs();
  const load = await runToJson({ name: 'autocannon', args: [maxThroughput, JSON.stringify(spec)], cpu: loadCpu, timeoutMs: durationMs + warmupMs + 20_000 });
  const requests = load.total + load.warmupTotal;
  return { ...load, cpuMsPerRequest: ((cpuSeconds(subject.pid) - cpuBefore) * 1000) / requests, window: { from, to: monotonicUs(), requests } };
};

/** One profiled run each of the bare proxy and the gateway (fresh processes, warmed first): µs per request by component. */
const profiledRun = async ({ settings, upstreamUrls, subjectCpu, loadCpu, log }) => {
  rmSync(profileDirectory, { recursive: true, force: true });
  const result = {};
  for (const name of ['bare', 'gateway']) {
    const directory = `${profileDirectory}${name}/`;
    const subject = await startLayer(name, upstreamUrls, subjectCpu, directory);
    let run;
    try {
      await measure(subject, settings, loadCpu);
      run = await measure(subject, settings, loadCpu);
    } finally {
      await subject.stop();
    }
    const file = profileFile(directory);
    if (!file) throw new Error(`no CPU profile from ${name} in ${directory}`);
    const { busyUs, byComponent } = componentTimes(readProfile(file), [run.window]);
    const requests = run.window.requests;
    result[name] = { requests, busyUsPerRequest: busyUs / requests, usPerRequest: Object.fromEntries([...byComponent].map(([id, us]) => [id, us / requests])) };
    log(`decomposition profile ${name.padEnd(7)} ${(busyUs / requests).toFixed(0)} µs of CPU per request (profiled)`);
  }
  return result;
};

/** Runs (b″): req/s and CPU per request per layer (median of the repetitions), then the profiled pair. */
export const runDecomposition = async (context) => {
  const { settings, upstreamUrls, subjectCpu, loadCpu, log } = context;
  const subjects = {};
  const runs = Object.fromEntries(layers.map(({ name }) => [name, []]));
  try {
    for (const { name } of layers) subjects[name] = await startLayer(name, upstreamUrls, subjectCpu);
    // One unrecorded run each first, so no layer is measured cold.
    for (const { name } of layers) await measure(subjects[name], settings, loadCpu);
    for (let repetition = 0; repetition < settings.repetitions; repetition += 1) {
      for (const name of rotated(layers.map((layer) => layer.name), repetition)) {
        const run = await measure(subjects[name], settings, loadCpu);
        runs[name].push(run);
        log(`decomposition rep ${repetition + 1}/${settings.repetitions} ${name.padEnd(12)} ${Math.round(run.requestsPerSecond)} req/s  CPU ${run.cpuMsPerRequest.toFixed(3)} ms/request  non-2xx ${run.non2xx}  errors ${run.errors}`);
      }
    }
  } finally {
    await Promise.all(Object.values(subjects).map((subject) => subject.stop()));
  }
  const profile = await profiledRun(context);
  // Ratios are paired with the bare proxy's run of the same repetition, as in (b).
  const rows = layers.map(({ name, label, base, adds }) => ({
    name, label, base, adds,
    requestsPerSecond: spread(runs[name].map((run) => run.requestsPerSecond)),
    cpuMsPerRequest: spread(runs[name].map((run) => run.cpuMsPerRequest)),
    cpuTimesBare: spread(runs[name].map((run, index) => run.cpuMsPerRequest / runs.bare[index].cpuMsPerRequest)),
    throughputTimesBare: spread(runs[name].map((run, index) => run.requestsPerSecond / runs.bare[index].requestsPerSecond)),
    failures: runs[name].reduce((sum, run) => sum + run.non2xx + run.errors, 0),
  }));
  return { rows, profile };
};

const us = (ms) => (Number.isFinite(ms) ? (ms * 1000).toFixed(0) : 'n/a');
const times = (value) => (Number.isFinite(value) ? value.toFixed(2) : 'n/a');
const range = ({ median, min, max }, format) => `${format(median)} (${format(min)}–${format(max)})`;

/** The report's section for (b″). */
export const decompositionMarkdown = ({ rows, profile }, settings) => {
  const layerRows = rows.map((row) => {
    const base = rows.find((other) => other.name === row.base);
    const difference = base ? row.cpuMsPerRequest.median - base.cpuMsPerRequest.median : Number.NaN;
    const added = base ? `${difference >= 0 ? '+' : ''}${us(difference)} over ${base.label}` : '—';
    return `| ${row.label} | ${range(row.requestsPerSecond, (value) => value.toFixed(0))} | ${range(row.throughputTimesBare, times)} | ${range(row.cpuMsPerRequest, us)} | ${range(row.cpuTimesBare, times)} | ${added} | ${row.adds} | ${row.failures} |`;
  });
  const componentRows = components
    .map(({ id, label }) => [label, profile.gateway.usPerRequest[id] ?? 0, profile.bare.usPerRequest[id] ?? 0])
    .filter(([, gateway, bare]) => gateway >= 0.05 || bare >= 0.05)
    .map(([label, gateway, bare]) => `| ${label} | ${gateway.toFixed(1)} | ${bare.toFixed(1)} | ${(gateway - bare >= 0 ? '+' : '')}${(gateway - bare).toFixed(1)} |`);
  return `## (b″) Where the gateway's CPU goes, by layer (autocannon, ${settings.throughput.connections} connections)

Fresh processes, the same upstream and request as (b), interleaved (${settings.repetitions} repetition(s) after one unrecorded run each);
CPU per request from \`/proc/<pid>/stat\`, medians with min–max; "× bare" is paired with the bare proxy's run of the same
repetition. *Lean* turns off the per-request work that is optional and on by default: admission (\`admission.enabled: false\`),
stream rescue (\`rescue: 'off'\`) and tracing. "Adds" is the difference of the medians from the layer named, and what it buys.

| layer | req/s | × bare | CPU per request, µs | × bare | adds, µs of CPU per request | what it adds | non-2xx + errors |
|---|---|---|---|---|---|---|---|
${layerRows.join('\n')}

**By component** (one profiled run each, \`node --cpu-prof\` sampling every 1 ms, fresh processes, µs of CPU per request;
the profiler's own overhead inflates every figure a little): ${profile.gateway.requests} gateway and ${profile.bare.requests} bare requests.

| component | gateway | bare proxy | gateway − bare |
|---|---|---|---|
${componentRows.join('\n')}
| **total CPU** (idle excluded) | **${profile.gateway.busyUsPerRequest.toFixed(1)}** | **${profile.bare.busyUsPerRequest.toFixed(1)}** | **+${(profile.gateway.busyUsPerRequest - profile.bare.busyUsPerRequest).toFixed(1)}** |
`;
};
