#!/usr/bin/env node
// Where the gateway's CPU time goes, by component of a request's path: each V8 sample is charged to the innermost
// stack frame that belongs to a known component (Node's own internals called from our code count as that code's
// work; with no known frame above them they are the Node runtime's). Bundled frames are mapped back to their
// source file through the build's source maps, so a frame in apps/worker/dist/chunk-….js still reads as
// apps/worker/src/routes/proxy-route.ts. Idle time is left out.
// Usage: node bench/src/profile/components.mjs <file.cpuprofile> [requests]
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repository = fileURLToPath(new URL('../../../', import.meta.url));

/** Components in report order, with what each covers. */
export const components = [
  { id: 'node-http', label: 'Node HTTP server + @hono/node-server + our Node adapter (request side)' },
  { id: 'hono', label: 'Hono routing, middleware (gateway auth), app' },
  { id: 'route', label: 'our route & request parsing (body, JSON depth, JSON.parse, model, headers, prepare)' },
  { id: 'engine', label: 'router/engine (selection, state reads, breaker, classification, pricing, deadline)' },
  { id: 'admission', label: "admission (the quota model: the request's estimate, reserve, settle, quota headers)" },
  { id: 'events', label: 'events & metrics' },
  { id: 'undici', label: 'undici transport (request out, response parse)' },
  { id: 'relay', label: 'response relay/writing (headers, writeHead/end, stream pipe)' },
  { id: 'stream', label: 'per-chunk stream handling (guard, SSE watcher, usage filter)' },
  { id: 'runtime', label: 'Node runtime with no library frame above (HTTP parser, sockets, timers, microtasks)' },
  { id: 'gc', label: 'garbage collector' },
  { id: 'program', label: 'V8/native outside JavaScript ((program))' },
  { id: 'other', label: 'other libraries' },
];

const relayFunctions = new Set(['respond', 'answerHeaders', 'pipeStream', 'writable', 'done', 'breakResponse', 'endWithoutTerminator', 'closeAfterAnswer']);

/** The component of one source file (repository-relative, or a node_modules path), or undefined for Node internals. */
const componentOfSource = (source, functionName) => {
  if (source.includes('node_modules/')) {
    if (source.includes('/@hono/node-server/')) return 'node-http';
    if (source.includes('/hono/')) return 'hono';
    if (source.includes('/undici/')) return 'undici';
    return 'other';
  }
  if (source.startsWith('apps/worker/src/node/node-adapter')) return relayFunctions.has(functionName) ? 'relay' : 'node-http';
  if (source.startsWith('apps/worker/src/node/process-metrics') || source.startsWith('apps/worker/src/metrics/')) return 'events';
  if (source.startsWith('apps/worker/src/node/')) return 'node-http';
  if (source.startsWith('apps/worker/src/middleware/') || source === 'apps/worker/src/app.ts') return 'hono';
  if (source.startsWith('apps/worker/src/routes/proxy-adapter') || source.startsWith('packages/core/src/fetch/to-response')) return 'relay';
  if (source.startsWith('apps/worker/src/')) return 'route';
  if (source.startsWith('packages/node/src/undici-transport')) return 'undici';
  if (/^packages\/core\/src\/(engine\/(prepare-request|request-state)|quota\/request-priority)/.test(source)) return 'route';
  if (source.startsWith('packages/core/src/quota/')) return 'admission';
  if (source.startsWith('packages/core/src/engine/events')) return 'events';
  if (source.startsWith('packages/core/src/streaming/') || source.startsWith('packages/core/src/engine/rescue-stream')) return 'stream';
  if (source.startsWith('packages/')) return 'engine';
  // The bare proxy's handler, in a comparison profile: reading, forwarding and writing are one function there.
  if (source.startsWith('bench/src/servers/bare-proxy')) return 'relay';
  return 'other';
};

const sourceMaps = new Map();
/** The original source of a position in a built file, through its `.map`; the file itself when there is none. */
const originalSource = (path, line, column) => {
  if (!sourceMaps.has(path)) {
    const mapFile = `${path}.map`;
    sourceMaps.set(path, existsSync(mapFile) ? { map: new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))), directory: dirname(mapFile) } : undefined);
  }
  const entry = sourceMaps.get(path);
  const found = entry?.map.findEntry(line, column);
  if (!found?.originalSource) return relative(repository, path);
  const original = found.originalSource.startsWith('file://') ? fileURLToPath(found.originalSource) : resolve(entry.directory, found.originalSource);
  return relative(repository, original);
};

const frameComponent = (cache, node) => {
  if (cache.has(node.id)) return cache.get(node.id);
  const { url, functionName, lineNumber, columnNumber } = node.callFrame;
  let component;
  if (functionName === '(garbage collector)') component = 'gc';
  else if (functionName === '(program)') component = 'program';
  else if (functionName === '(idle)') component = 'idle';
  else if (url.startsWith('file://') || url.startsWith('/')) {
    const path = url.startsWith('file://') ? fileURLToPath(url) : url;
    const source = path.includes('node_modules/') ? path : originalSource(path, lineNumber, columnNumber);
    component = componentOfSource(source, functionName);
  }
  cache.set(node.id, component);
  return component;
};

/**
 * Microseconds of CPU per component in a V8 profile, optionally only for samples taken within the monotonic-clock
 * windows `[from, to]` (µs, the clock V8 stamps samples with, which is `process.hrtime` in any process on Linux).
 * Returns `{ busyUs, idleUs, byComponent: Map<id, µs> }`.
 */
export const componentTimes = (profile, windows) => {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const componentCache = new Map();
  const charged = new Map();
  const chargeOf = (id) => {
    if (charged.has(id)) return charged.get(id);
    let result = 'runtime';
    for (let current = id; current !== undefined; current = parents.get(current)) {
      const component = frameComponent(componentCache, nodes.get(current));
      if (component !== undefined) {
        result = component;
        break;
      }
    }
    charged.set(id, result);
    return result;
  };
  const byComponent = new Map(components.map(({ id }) => [id, 0]));
  let idleUs = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    if (windows && !windows.some(({ from, to }) => at >= from && at <= to)) return;
    // A sample's delta is the time since the previous one: it is charged to this sample's stack.
    const component = chargeOf(id);
    if (component === 'idle') idleUs += delta;
    else byComponent.set(component, byComponent.get(component) + delta);
  });
  const busyUs = [...byComponent.values()].reduce((sum, value) => sum + value, 0);
  return { busyUs, idleUs, byComponent };
};

/** Reads a .cpuprofile file. */
export const readProfile = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Lines of text: each component's share of busy CPU time and, given a request count, its µs per request. */
export const componentLines = ({ busyUs, byComponent }, requests) => {
  const perRequest = requests > 0 ? (us) => `${(us / requests).toFixed(1).padStart(7)} µs/req` : () => '';
  return [
    `CPU by component (${(busyUs / 1e6).toFixed(2)} s busy${requests > 0 ? `, ${requests} requests, ${(busyUs / requests).toFixed(1)} µs/req` : ''}):`,
    ...components.map(({ id, label }) => `${((100 * byComponent.get(id)) / busyUs).toFixed(1).padStart(5)} %  ${perRequest(byComponent.get(id))}  ${label}`),
  ];
};

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  console.log(componentLines(componentTimes(readProfile(process.argv[2])), Number(process.argv[3] ?? 0)).join('\n'));
}
