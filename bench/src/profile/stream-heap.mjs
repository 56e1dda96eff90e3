#!/usr/bin/env node
// What one open stream keeps alive in a whole proxy process, by constructor: each subject starts fresh behind a
// chaos upstream whose slow streams send their first event and then wait a minute; after a warm-up of streams read
// whole, the subject writes a heap snapshot (`--heapsnapshot-signal`, which collects garbage first), is given
// `streams` slow streams, writes another once every one has its first byte, and the difference, divided among the
// streams, is printed by node type and name; for two subjects, the difference between them too. Live heap only:
// what the collector keeps, not RSS (which a fresh process's malloc and heap growth move by several MiB).
// `held-per-stream.mjs` measures the router alone, on a fake transport.
//
// Usage: node bench/src/profile/stream-heap.mjs [--streams 300] [--top 40] [--keep] [subject …]
// A subject is `bare`, `gateway` (this checkout's build) or `name=/path/to/apps/worker/dist/cli.js`; the default
// is `bare gateway`. `--keep` leaves each subject's snapshots in its temporary folder (printed) for DevTools.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startChaosUpstream } from '@detour/testkit';
import { Pool } from 'undici';
import { spawnNode, stopChild, waitForLine } from '../child-processes.mjs';
import { assertLoopbackListener } from '../servers/loopback-check.mjs';
import { requestBody } from '../settings.mjs';
import { profileSubjects, subjectLaunch } from './profile-subjects.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { streams: { type: 'string', default: '300' }, top: { type: 'string', default: '40' }, keep: { type: 'boolean', default: false } },
});
const streams = Number(values.streams);
const path = '/v1/chat/completions';

const subjects = profileSubjects(positionals);

/** Sums self sizes by node type and name: strings, numbers and code by type alone. */
const summarize = (file) => {
  const { snapshot, nodes, strings } = JSON.parse(readFileSync(file, 'utf8'));
  const fields = snapshot.meta.node_fields;
  const types = snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field));
  const groups = new Map();
  let total = 0;
  for (let at = 0; at < nodes.length; at += fields.length) {
    const type = types[nodes[at + typeAt]];
    const named = !/string|number|code|array|hidden|native|synthetic/.test(type);
    const key = named ? `${type} ${strings[nodes[at + nameAt]].slice(0, 60)}` : type;
    const group = groups.get(key) ?? { count: 0, bytes: 0 };
    group.count += 1;
    group.bytes += nodes[at + sizeAt];
    total += nodes[at + sizeAt];
    groups.set(key, group);
  }
  return { groups, total };
};

/** By group: what `after` holds beyond `before`, divided by `divisor` (a summary's groups, or rows made by this). */
const difference = (before, after, divisor = 1) => {
  const zero = { count: 0, bytes: 0 };
  const rows = new Map();
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const [old, now] = [before.get(key) ?? zero, after.get(key) ?? zero];
    rows.set(key, { count: (now.count - old.count) / divisor, bytes: (now.bytes - old.bytes) / divisor });
  }
  return rows;
};

const measure = async ([name, cli]) => {
  const upstream = await startChaosUpstream({
    name: 'main', seed: 1, recordLimit: 16,
    script: [
      { when: { model: 'slow-stream' }, fault: { type: 'slow-body', chunkDelayMs: 60_000 } },
      { when: { stream: true }, fault: { type: 'slow-body', chunkDelayMs: 2 } },
    ],
  });
  const backup = await startChaosUpstream({ name: 'backup', seed: 2, recordLimit: 16 });
  const folder = mkdtempSync(join(tmpdir(), 'detour-stream-heap-'));
  const { args, headers } = subjectLaunch([name, cli], { main: upstream.url, backup: backup.url }, folder);
  const child = spawnNode({ name, args: ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${folder}`, ...args] });
  try {
    const [, origin] = await waitForLine(child, /listening on (http:\/\/\S+)/);
    assertLoopbackListener(Number(new URL(origin).port));
    const client = new Pool(origin, { connections: streams + 10, headersTimeout: 0, bodyTimeout: 0 });
    const send = (body) => client.request({ path, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    // Warm-up: 300 short streams read whole, 10 at a time.
    for (let round = 0; round < 30; round += 1) {
      await Promise.all(Array.from({ length: 10 }, async () => (await send({ ...requestBody, stream: true })).body.dump()));
    }
    const answered = async () => (await client.request({ path: '/healthz', method: 'GET' })).body.dump();
    const snapshot = async () => {
      const before = new Set(readdirSync(folder));
      process.kill(child.pid, 'SIGUSR2');
      // The signal is taken up when the subject's main thread gets to it, which then writes the file before it does
      // anything else: once the file is there, the next answer means it is whole.
      const deadline = Date.now() + 60_000;
      let written;
      while (!(written = readdirSync(folder).find((file) => file.endsWith('.heapsnapshot') && !before.has(file)))) {
        if (Date.now() > deadline) throw new Error(`${name} wrote no heap snapshot within 60 s`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await answered();
      return summarize(join(folder, written));
    };
    const idle = await snapshot();
    const held = [];
    await new Promise((resolve, reject) => {
      let flowing = 0;
      setTimeout(() => reject(new Error(`${name}: ${flowing} of ${streams} streams flowing after 60 s`)), 60_000).unref();
      for (let index = 0; index < streams; index += 1) {
        send({ ...requestBody, model: 'slow-stream', stream: true }).then((response) => {
          held.push(response);
          // Teardown resets these connections; a reset is no finding.
          response.body.on('error', () => {});
          response.body.once('data', () => {
            flowing += 1;
            if (flowing === streams) resolve();
          });
          response.body.resume();
        }, reject);
      }
    });
    const holding = await snapshot();
    for (const response of held) response.body.destroy();
    await client.destroy();
    return { name, idle, rows: difference(idle.groups, holding.groups, streams), bytes: (holding.total - idle.total) / streams };
  } finally {
    await stopChild(child);
    await Promise.all([upstream.close(), backup.close()]);
    if (values.keep) console.log(`${name}: snapshots kept in ${folder}`);
    else rmSync(folder, { recursive: true, force: true });
  }
};

const row = (key, { count, bytes }) => `${bytes.toFixed(0).padStart(8)} B ${count.toFixed(2).padStart(7)}×  ${key}`;
const largest = (rows, at = 0.5) => [...rows].filter(([, value]) => Math.abs(value.bytes) >= at).sort((a, b) => b[1].bytes - a[1].bytes);
const top = Number(values.top);
const results = [];
for (const subject of subjects) {
  const result = await measure(subject);
  results.push(result);
  console.log(`\n${result.name}: ${(result.idle.total / 2 ** 20).toFixed(2)} MiB of live heap idle after the warm-up; ${(result.bytes / 1024).toFixed(2)} KiB per open stream (${streams} streams)`);
  for (const [key, value] of largest(result.rows).slice(0, top)) console.log(row(key, value));
}
if (results.length === 2) {
  const [left, right] = results;
  console.log(`\n${right.name} − ${left.name}: ${((right.bytes - left.bytes) / 1024).toFixed(2)} KiB per stream`);
  for (const [key, value] of largest(difference(left.rows, right.rows), 40)) console.log(row(key, value));
  // Idle, after the warm-up: what the program and its state hold before any stream opens.
  console.log(`\nidle, ${right.name} − ${left.name}: ${((right.idle.total - left.idle.total) / 2 ** 20).toFixed(2)} MiB`);
  for (const [key, value] of largest(difference(left.idle.groups, right.idle.groups)).slice(0, top)) console.log(row(key, value));
}
process.exit(0);
