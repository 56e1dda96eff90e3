#!/usr/bin/env node
// Bytes allocated per request, by package and by function: what makes a subject's young generation fill and its
// scavenges run. Each subject runs fresh behind the bench's upstreams with allocation-probe.mjs loaded; `warmup`
// requests go first unsampled, then V8's sampling heap profiler (collected objects included) records `requests`
// more. A native allocation (JSON.parse's objects, a decoded string) is charged to the JavaScript function that
// called it. Sampling is statistical: figures under about 0.1 KiB a request move from run to run.
//
// Usage: node bench/src/profile/allocations.mjs [--requests 5000] [--warmup 20000] [--stream] [--top 30]
//          [--config '{"router":{"admission":{"enabled":false}}}'] [subject …]
// A subject is `bare`, `gateway` or `name=/path/to/apps/worker/dist/cli.js`, as for instructions.mjs.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawnNode, stopChild, waitForLine } from '../child-processes.mjs';
import { assertLoopbackListener } from '../servers/loopback-check.mjs';
import { requestBody } from '../settings.mjs';
import { startUpstreams } from '../upstream-control.mjs';
import { driveRequests } from './drive-requests.mjs';
import { profileSubjects, subjectLaunch } from './profile-subjects.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    requests: { type: 'string', default: '5000' },
    warmup: { type: 'string', default: '20000' },
    stream: { type: 'boolean', default: false },
    top: { type: 'string', default: '30' },
    config: { type: 'string', default: '{}' },
  },
});
const requests = Number(values.requests);
const warmup = Number(values.warmup);
if (!(Number.isInteger(requests) && requests > 0)) throw new Error(`--requests takes a whole number above 0 (got "${values.requests}")`);
if (!(Number.isInteger(warmup) && warmup >= 0)) throw new Error(`--warmup takes a whole number (got "${values.warmup}")`);
const body = JSON.stringify(values.stream ? { ...requestBody, stream: true } : requestBody);
const probe = fileURLToPath(new URL('./allocation-probe.mjs', import.meta.url));

/** Where a frame's code lives: a workspace package or app, a dependency, a Node module, or V8 itself. */
const packageOf = ({ url }) => {
  if (!url) return '(V8 and native)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const dependency = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?(@[^/]+\/[^/]+|[^/]+)/.exec(url);
  if (dependency) return dependency[1];
  return /(apps|packages|bench)\/[^/]+/.exec(url)?.[0] ?? url;
};
const functionOf = (frame) => `${frame.functionName || '(anonymous)'} (${frame.url.startsWith('node:') ? `${frame.url}:${frame.lineNumber + 1}` : packageOf(frame)})`;

/** Bytes per function and per package, summed over the profile's samples. */
const summarise = (profile) => {
  const frames = new Map();
  const visit = (node) => {
    frames.set(node.id, node.callFrame);
    for (const child of node.children) visit(child);
  };
  visit(profile.head);
  const byPackage = new Map();
  const byFunction = new Map();
  let total = 0;
  for (const { nodeId, size } of profile.samples) {
    const frame = frames.get(nodeId);
    total += size;
    byPackage.set(packageOf(frame), (byPackage.get(packageOf(frame)) ?? 0) + size);
    byFunction.set(functionOf(frame), (byFunction.get(functionOf(frame)) ?? 0) + size);
  }
  return { total, byPackage, byFunction };
};

const measure = async ([name, cli], upstreamUrls, folder) => {
  const { args, headers } = subjectLaunch([name, cli], upstreamUrls, folder, JSON.parse(values.config));
  const file = join(folder, `${name}.heapprofile`);
  const child = spawnNode({ name, args: ['--import', probe, ...args], env: { DETOUR_ALLOCATION_PROFILE: file } });
  try {
    const [, origin] = await waitForLine(child, /listening on (http:\/\/\S+)/);
    assertLoopbackListener(Number(new URL(origin).port));
    const warmupFailures = await driveRequests(origin, headers, body, warmup);
    const sampling = waitForLine(child, /allocation sampling on/);
    child.kill('SIGUSR2');
    await sampling;
    const failures = await driveRequests(origin, headers, body, requests);
    const written = waitForLine(child, /allocation profile written/, 60_000);
    child.kill('SIGUSR2');
    await written;
    return { name, failures: failures + warmupFailures, ...summarise(JSON.parse(readFileSync(file, 'utf8'))) };
  } finally {
    await stopChild(child);
  }
};

const kib = (bytes) => `${(bytes / requests / 1024).toFixed(2)} KiB`;
const folder = mkdtempSync(join(tmpdir(), 'detour-allocations-'));
const upstreams = await startUpstreams(undefined);
const results = [];
try {
  for (const subject of profileSubjects(positionals)) {
    const result = await measure(subject, upstreams.urls, folder);
    results.push(result);
    console.log(`${result.name}: ${kib(result.total)} allocated per ${values.stream ? 'stream' : 'request'} (${requests} after ${warmup}, ${result.failures} not 200)`);
  }
} finally {
  await upstreams.stop();
  rmSync(folder, { recursive: true, force: true });
}
const top = Number(values.top);
const table = (map) => [...map].sort((left, right) => right[1] - left[1]).slice(0, top).map(([key, bytes]) => `${kib(bytes).padStart(11)}  ${key}`);
for (const { name, byPackage, byFunction } of results) {
  console.log(`\n${name}, by package:\n${table(byPackage).join('\n')}\n\n${name}, by function:\n${table(byFunction).join('\n')}`);
}
if (results.length === 2) {
  const [first, second] = results;
  const keys = new Set([...first.byPackage.keys(), ...second.byPackage.keys()]);
  const differences = [...keys].map((key) => [key, (second.byPackage.get(key) ?? 0) - (first.byPackage.get(key) ?? 0)]);
  console.log(`\n${second.name} − ${first.name}, by package:`);
  for (const [key, bytes] of differences.sort((left, right) => Math.abs(right[1]) - Math.abs(left[1])).slice(0, top)) console.log(`${(bytes >= 0 ? '+' : '−') + kib(Math.abs(bytes)).padStart(10)}  ${key}`);
}
