// The scratch consumer's files: every published package imported from ESM, from CommonJS, and from TypeScript
// under nodenext, node16 and bundler resolution. They run inside the folder the guide installed the tarballs into.
const esm = `import * as core from '@detour/core';
import * as testing from '@detour/core/testing';
import { createSharedStore } from '@detour/core/store';
import { toResponse } from '@detour/core/binding';
import { classifyResponse } from '@detour/core/signals';
import { createFetch, createRouter } from '@detour/node';
import * as edge from '@detour/edge';
import { startChaosUpstream } from '@detour/testkit';
import { loadConfig, startGateway } from '@detour/gateway';
import { createRedisStore } from '@detour/redis';
import { createDurableObjectStore, DetourStateObject } from '@detour/cloudflare';
import manifest from '@detour/core/package.json' with { type: 'json' };

const functions = { createRouter: core.createRouter, createFakeClock: testing.createFakeClock, createSharedStore, toResponse, classifyResponse, createFetch, nodeRouter: createRouter,
  edgeFetch: edge.createFetch, startChaosUpstream, loadConfig, startGateway, createRedisStore, createDurableObjectStore, DetourStateObject };
for (const [name, value] of Object.entries(functions)) if (typeof value !== 'function') throw new Error(name + ' is not a function');
const upstream = await startChaosUpstream({ name: 'esm' });
const fetch = createFetch({ endpoints: [{ name: 'esm', baseUrl: upstream.baseUrl }] });
const response = await fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] }) });
await response.json();
await upstream.close();
if (response.headers.get('x-detour-endpoint') !== 'esm') throw new Error('not served through Detour');
console.log('ESM: 11 entry points imported, @detour/core ' + manifest.version + ', a request served');
`;

const cjs = `const core = require('@detour/core');
const testing = require('@detour/core/testing');
const store = require('@detour/core/store');
const binding = require('@detour/core/binding');
const signals = require('@detour/core/signals');
const node = require('@detour/node');
const edge = require('@detour/edge');
const testkit = require('@detour/testkit');
const gateway = require('@detour/gateway');
const redis = require('@detour/redis');
const cloudflare = require('@detour/cloudflare');
const checks = [core.createRouter, testing.createFakeClock, store.createSharedStore, binding.toResponse, signals.classifyResponse, node.createFetch, node.createRouter, edge.createFetch, testkit.startChaosUpstream, gateway.loadConfig,
  redis.createRedisStore, cloudflare.createDurableObjectStore, cloudflare.DetourStateObject];
if (!checks.every((value) => typeof value === 'function')) throw new Error('a CommonJS require() missed an export');
if (!core.DetourError.isInstance(new node.InvalidOptionsError([{ path: 'x', message: 'y' }]))) throw new Error('two cores');
console.log('CommonJS: 11 entry points require()d on Node ' + process.versions.node + ', one core shared');
`;

const typed = `import { createRouter, DetourError, type RouterOptionsInput } from '@detour/core';
import { createFakeClock } from '@detour/core/testing';
import { createMemoryStore, type StateStore } from '@detour/core/store';
import { errorResponse } from '@detour/core/binding';
import { classifyResponse, type OutcomeKind } from '@detour/core/signals';
import { createFetch } from '@detour/node';
import { createFetch as createEdgeFetch } from '@detour/edge';
import { startChaosUpstream, type FaultRule } from '@detour/testkit';
import { loadConfig, type GatewayConfig } from '@detour/gateway';
import { createRedisStore, type RedisStoreOptions } from '@detour/redis';
import { createDurableObjectStore, type StateObjectNamespace } from '@detour/cloudflare';

const options: RouterOptionsInput = { endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', priority: 0 }] };
const fetchFunction: typeof fetch = createFetch(options);
const edgeFetch: typeof fetch = createEdgeFetch(options);
const rule: FaultRule = { fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 1000 } };
const config: GatewayConfig = loadConfig({ endpoints: options.endpoints, allowUnauthenticated: true }, {});
const redisOptions: RedisStoreOptions = { url: 'redis://127.0.0.1:6379' };
// Typed only, never called: a store connects when it is created.
const storeFactories = [() => createFetch({ ...options, store: createRedisStore(redisOptions) }),
  (namespace: StateObjectNamespace) => createEdgeFetch({ ...options, store: createDurableObjectStore({ namespace }) })];
const memory: StateStore = createMemoryStore();
const kind: OutcomeKind = classifyResponse({ status: 429, headers: {}, nowMs: 0 }).kind;
export const used = [createRouter, DetourError, createFakeClock, memory, kind, errorResponse, fetchFunction, edgeFetch, rule, config, startChaosUpstream, storeFactories];
`;

const typedCjs = `import core = require('@detour/core');
import node = require('@detour/node');
const fetchFunction: typeof fetch = node.createFetch({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1' }] });
export const used = [core.createRouter, fetchFunction];
`;

// Only nodenext checks every declaration file (ours and our dependencies'): a full check takes ~30 s on a busy
// 2-core machine, and under node16 and bundler what can differ is resolution, which skipLibCheck still checks.
const tsconfig = (module, moduleResolution, include, skipLibCheck = true) =>
  `${JSON.stringify({ compilerOptions: { module, moduleResolution, target: 'es2022', lib: ['es2022', 'dom'], strict: true, noEmit: true, skipLibCheck, types: ['node'] }, include }, null, 2)}\n`;

export const consumerFiles = {
  'consumer/esm.mjs': esm,
  'consumer/cjs.cjs': cjs,
  'consumer/typed.mts': typed,
  'consumer/typed-cjs.cts': typedCjs,
  // nodenext (TypeScript >= 5.8) reads a require() of an ESM package the way Node >= 20.19 runs it.
  'consumer/tsconfig.nodenext.json': tsconfig('nodenext', 'nodenext', ['typed.mts', 'typed-cjs.cts'], false),
  'consumer/tsconfig.node16.json': tsconfig('node16', 'node16', ['typed.mts']),
  'consumer/tsconfig.bundler.json': tsconfig('esnext', 'bundler', ['typed.mts']),
};
