// core README 174/175, node README 137-139, gateway README 300-302: importing these entries (and running the gateway config loader) never loads zod
import { createRequire } from 'node:module';
import { register } from 'node:module';
const loaded = new Set();
const orig = process.emitWarning;
const mods = ['@detour/core', '@detour/core/binding', '@detour/node', '@detour/edge'];
for (const m of mods) await import(m);
// ESM loader has no cache listing; use a hook-free check: look at resolved files via import.meta.resolve and the module graph through --experimental? fall back to /proc maps not possible; so spawn with --import a loader that logs resolutions
