#!/usr/bin/env node
// Throughput of the plain JSON chat-completion path. The upstream runs in a child process (the built CLI), pinned
// to CPU 0 when `taskset` exists; autocannon runs here, pinned to CPU 1, over keep-alive connections.
// Usage: node bench/throughput.mjs [--duration 10] [--connections 50]
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' } },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const canPin = spawnSync('taskset', ['--version']).status === 0 && cpus().length > 1;

if (canPin) spawnSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
const command = canPin ? ['taskset', ['-c', '0', process.execPath, cli, '--name', 'bench']] : [process.execPath, [cli, '--name', 'bench']];
const server = spawn(command[0], command[1], { stdio: ['ignore', 'pipe', 'inherit'] });

const url = await new Promise((resolve, reject) => {
  server.once('exit', (code) => reject(new Error(`upstream exited with ${code}; run \`pnpm build\` first`)));
  server.stdout.once('data', (chunk) => resolve(String(chunk).split('\n')[0]));
});

const request = {
  url: `${url}/v1/chat/completions`,
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
  body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello in one short sentence.' }] }),
  connections,
  pipelining: 1,
};

try {
  await autocannon({ ...request, duration: 2 }); // warm-up: JIT and connection set-up stay out of the figure
  const result = await autocannon({ ...request, duration });
  const summary = {
    requestsPerSecond: Math.round(result.requests.average),
    totalRequests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
    durationS: duration,
    connections,
    pinned: canPin ? 'upstream on CPU 0, autocannon on CPU 1' : 'not pinned (no taskset or one CPU)',
    machine: { nproc: cpus().length, cpu: cpus()[0]?.model, node: process.version },
  };
  console.log(JSON.stringify(summary, null, 2));
  if (result.non2xx > 0 || result.errors > 0) process.exitCode = 1;
} finally {
  server.kill('SIGTERM');
}
