#!/usr/bin/env node
// What the gateway keeps per open stream when prompts are large, network and undici included (held-per-stream.mjs
// measures the router alone, on a fake transport). The gateway, with the heap probe loaded, is warmed with 1 s of
// such streams, then holds `--count` slow streams whose prompt is `--prompt` bytes; the probe measures the live heap
// after a full collection before and with them open. Prints the live heap per held stream and the RSS with them.
// Another build: DETOUR_BENCH_GATEWAY=/path/to/apps/worker/dist/cli.js. Options for the router: `--router '{…}'`.
// Usage: node bench/src/profile/held-prompts.mjs [--count 300] [--prompt 50000] [--router '{"rescue":"off"}']
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { killChildrenOnExit, runToJson, spawnNode, waitForLine } from '../child-processes.mjs';
import { requestBody } from '../settings.mjs';
import { detourConfig, gatewayCli, readMemory, startDetourGateway } from '../subjects.mjs';
import { startUpstreams } from '../upstream-control.mjs';
import { waitForFile } from '../workloads/memory.mjs';

const { values } = parseArgs({ options: { count: { type: 'string', default: '300' }, prompt: { type: 'string', default: '50000' }, router: { type: 'string', default: '{}' } } });
const count = Number(values.count);
const promptBytes = Number(values.prompt);
if (!(Number.isInteger(count) && count > 0)) throw new Error(`--count takes a whole number of streams (got "${values.count}")`);
if (!(Number.isInteger(promptBytes) && promptBytes > 0)) throw new Error(`--prompt takes a whole number of bytes (got "${values.prompt}")`);
const fixedRate = fileURLToPath(new URL('../load/fixed-rate.mjs', import.meta.url));
const openStreams = fileURLToPath(new URL('../load/open-streams.mjs', import.meta.url));
const heapProbe = fileURLToPath(new URL('./heap-probe.mjs', import.meta.url));

killChildrenOnExit();
const folder = mkdtempSync(join(tmpdir(), 'detour-held-prompts-'));
const probe = join(folder, 'probe.json');
const upstreams = await startUpstreams(0);
const config = detourConfig(upstreams.urls);
config.router = { ...config.router, ...JSON.parse(values.router) };
const gateway = await startDetourGateway(config, 1, 'held-prompts-config.json', { nodeArgs: ['--expose-gc', '--import', heapProbe], env: { DETOUR_BENCH_HEAP_PROBE: probe } });
try {
  const body = { ...requestBody, messages: [{ role: 'user', content: 'x'.repeat(promptBytes) }], stream: true };
  await runToJson({ name: 'warm-up', args: [fixedRate, JSON.stringify({ ...gateway.target(), body, stream: true, rate: 100, durationMs: 1000, drainMs: 2000 })], cpu: 0, timeoutMs: 30_000 });
  process.kill(gateway.pid, 'SIGUSR2');
  const client = spawnNode({ name: 'open streams', args: [openStreams, JSON.stringify({ ...gateway.target(), body: { ...body, model: 'slow-stream' }, count, holdMs: 6000 })], cpu: 0, ipc: true });
  const [line] = await waitForLine(client, /\{"event":"holding".*\}/, 30_000);
  const { rssMiB } = readMemory(gateway.pid);
  process.kill(gateway.pid, 'SIGUSR2');
  await waitForFile(probe, 10_000);
  client.send('hang up');
  await new Promise((resolve) => client.once('exit', resolve));
  const { liveIdleMiB, liveHeapMiB } = JSON.parse(readFileSync(probe, 'utf8'));
  const perStreamKiB = ((liveHeapMiB - liveIdleMiB) * 1024) / count;
  console.log(`${gatewayCli}: ${JSON.parse(line).flowing}/${count} streams of ${promptBytes}-byte prompts held; live heap ${perStreamKiB.toFixed(1)} KiB per stream; RSS with them ${rssMiB.toFixed(1)} MiB`);
} finally {
  await gateway.stop();
  await upstreams.stop();
  rmSync(folder, { recursive: true, force: true });
}
