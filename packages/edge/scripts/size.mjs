// Measures what @detour/edge (with @detour/core and its dependencies) adds to a Worker: a minimal Worker that
// routes with createFetch is bundled for workerd, minified, then gzipped.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const entry = `
import { createFetch } from '@detour/edge';
const detourFetch = createFetch({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1' }] });
export default { fetch: (request) => detourFetch(request.url, { method: request.method, headers: request.headers, body: request.body }) };
`;
const result = await build({
  stdin: { contents: entry, resolveDir: process.cwd(), loader: 'js' },
  bundle: true, minify: true, format: 'esm', platform: 'neutral', write: false, metafile: true,
  conditions: ['workerd', 'worker', 'browser', 'import'], mainFields: ['module', 'main'],
});
const code = result.outputFiles[0].contents;
const gzipped = gzipSync(code, { level: 9 }).byteLength;
const byPackage = {};
for (const [path, { bytesInOutput }] of Object.entries(Object.values(result.metafile.outputs)[0].inputs)) {
  const name = path.includes('node_modules') ? path.split('node_modules/').pop().split('/').slice(0, path.includes('/@') ? 2 : 1).join('/') : path.split('/').slice(-3).join('/');
  const key = name.startsWith('@detour') || name.includes('core/dist') ? '@detour/core' : name.includes('edge/dist') ? '@detour/edge' : name;
  byPackage[key] = (byPackage[key] ?? 0) + bytesInOutput;
}
console.log(`minified ${(code.byteLength / 1024).toFixed(1)} kB, gzipped ${(gzipped / 1024).toFixed(1)} kB`);
for (const [name, bytes] of Object.entries(byPackage).sort((a, b) => b[1] - a[1])) console.log(`  ${name}: ${(bytes / 1024).toFixed(1)} kB minified`);
