#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `pnpm bench --profile-detour`, or any `node --cpu-prof`): the functions with the
// most self time, then the heaviest frames by inclusive time from the gateway, Hono, undici and zod.
// Usage: node bench/src/profile/top-functions.mjs <file.cpuprofile> [count]
import { readFileSync } from 'node:fs';

/** Lines of text: top self-time functions and top inclusive frames of interest. */
export const topFunctions = (file, count = 25) => {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const sampled = new Map();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    sampled.set(id, (sampled.get(id) ?? 0) + delta);
    total += delta;
  });
  const label = ({ callFrame }) =>
    `${callFrame.functionName || '(anonymous)'} ${callFrame.url.replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '').replace(/^file:\/\/.*?\/(apps|packages)\//, '$1/')}:${callFrame.lineNumber + 1}`;
  const self = new Map();
  const inclusive = new Map();
  for (const [id, time] of sampled) {
    const own = label(nodes.get(id));
    self.set(own, (self.get(own) ?? 0) + time);
    const seen = new Set();
    for (let current = id; current !== undefined; current = parents.get(current)) {
      const name = label(nodes.get(current));
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + time);
    }
  }
  const share = (time) => `${((100 * time) / total).toFixed(1).padStart(5)} %`;
  const top = (map, filter = () => true) => [...map].filter(([name]) => filter(name)).sort((a, b) => b[1] - a[1]).slice(0, count).map(([name, time]) => `${share(time)}  ${name}`);
  return [
    `Self time (${(total / 1e6).toFixed(1)} s sampled):`,
    ...top(self),
    'Inclusive time, gateway / Hono / undici / zod frames:',
    ...top(inclusive, (name) => / (apps|packages)\/|hono|undici|zod/.test(name)),
  ];
};

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  console.log(topFunctions(process.argv[2], Number(process.argv[3] ?? 25)).join('\n'));
}
