#!/usr/bin/env node
// `pnpm docs:api`: builds the API reference with TypeDoc (docs/api/html), failing on any public symbol without a doc
// comment or any broken {@link}, then checks the createRouter options table in docs/api/README.md against the
// schemas: every option must have a row, and each default the schema fills in must appear in that row.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const typedoc = spawnSync(join(root, 'node_modules/.bin/typedoc'), ['--logLevel', 'Warn'], { cwd: root, encoding: 'utf8' });
const output = `${typedoc.stdout}${typedoc.stderr}`.trim();
if (typedoc.status !== 0 || /warning|error/i.test(output)) {
  console.log(`api reference: TypeDoc failed (a public symbol without a doc comment, or a broken link):\n${output}`);
  process.exit(1);
}

const core = { ...(await import(pathToFileURL(join(root, 'packages/core/dist/index.js')).href)), ...(await import(pathToFileURL(join(root, 'packages/core/dist/schemas.js')).href)) };
const node = await import(pathToFileURL(join(root, 'packages/node/dist/schemas.js')).href);
const table = readFileSync(join(root, 'docs/api/README.md'), 'utf8');
const rows = new Map();
for (const line of table.split('\n')) {
  const match = /^\| `([^`]+)` \| (.*)$/.exec(line);
  if (match) rows.set(match[1], match[2].split(' | ')[0]);
}

const defaults = core.parseRouterOptions({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1' }] });
const expected = new Map();
for (const key of Object.keys(core.routerOptionsSchema._zod.def.shape).filter((name) => name !== 'endpoints')) {
  const value = defaults[key];
  if (value && typeof value === 'object' && !Array.isArray(value)) for (const [inner, innerValue] of Object.entries(value)) expected.set(`${key}.${inner}`, innerValue);
  else expected.set(key, value);
}
const endpointDefaults = defaults.endpoints[0];
for (const key of Object.keys(core.endpointSchema._zod.def.shape)) expected.set(`endpoints[].${key}`, ['name', 'baseUrl'].includes(key) ? undefined : endpointDefaults[key]);
const agentDefaults = node.agentOptionsSchema.parse({});
for (const key of Object.keys(node.agentOptionsSchema.shape)) expected.set(`agent.${key}`, agentDefaults[key]);

const problems = [];
for (const [path, value] of expected) {
  const cell = rows.get(path);
  if (cell === undefined) problems.push(`${path}: no row in the options table`);
  else if (value !== undefined && !cell.includes(`\`${Array.isArray(value) ? JSON.stringify(value) : value}\``)) problems.push(`${path}: the default is ${JSON.stringify(value)}, the table says ${cell}`);
}
expected.set('endpoints', undefined);
for (const path of rows.keys()) if (/^[a-z]/i.test(path) && !expected.has(path)) problems.push(`${path}: in the table but not an option`);
if (problems.length > 0) {
  console.log(`api reference: the createRouter options table is out of date:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`api reference: built (docs/api/html), every public symbol documented; options table matches ${expected.size} options`);
