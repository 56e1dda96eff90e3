// Bad configs: what does the Worker answer (every request), and what does Node --check print? Any secret echoed?
import { Miniflare } from '/work/main/node_modules/.pnpm/miniflare@4.20260426.0/node_modules/miniflare/dist/src/index.js';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
setTimeout(() => { console.log('WATCHDOG'); process.exit(2); }, 90000).unref();
const SECRET = 'sk-VERYSECRET-4242424242';
const configs = {
  'baseUrl with userinfo, bad weight': { endpoints: [{ name: 'a', baseUrl: `https://user:${SECRET}@api.example.com/v1`, apiKey: SECRET, weight: -1 }], gatewayKeys: ['gk-aaaaaaaaaaaa'] },
  'apiKey wrong type (number-like secret in object)': { endpoints: [{ name: 'a', baseUrl: 'https://api.example.com/v1', apiKey: { value: SECRET } }], gatewayKeys: ['gk-aaaaaaaaaaaa'] },
  'admin key equals gateway key': { endpoints: [{ name: 'a', baseUrl: 'https://api.example.com/v1' }], gatewayKeys: [SECRET], admin: { key: SECRET } },
  'header value secret + unknown field': { endpoints: [{ name: 'a', baseUrl: 'https://api.example.com/v1', headers: { 'x-key': SECRET }, bogus: SECRET }], gatewayKeys: ['gk-aaaaaaaaaaaa'] },
  'query secret, bad name': { endpoints: [{ name: 'a b', baseUrl: 'https://api.example.com/v1', query: { key: SECRET } }], gatewayKeys: ['gk-aaaaaaaaaaaa'] },
  'store redis url with password': { endpoints: [{ name: 'a', baseUrl: 'https://api.example.com/v1' }], gatewayKeys: ['gk-aaaaaaaaaaaa'], store: { redis: `redis://:${SECRET}@127.0.0.1:1` } },
  'env key missing': { endpoints: [{ name: 'a', baseUrl: 'https://api.example.com/v1', apiKey: { env: 'NOPE_KEY' } }], gatewayKeys: ['gk-aaaaaaaaaaaa'] },
};
for (const [label, cfg] of Object.entries(configs)) {
  const logs = [];
  const mf = new Miniflare({ host: '127.0.0.1', port: 0, modules: true, scriptPath: '/tmp/attack7c/worker.bundle.mjs', compatibilityDate: '2025-09-01', compatibilityFlags: ['nodejs_compat', 'enable_request_signal'], bindings: { DETOUR_CONFIG: JSON.stringify(cfg) }, handleRuntimeStdio(o, e) { o.on('data', (d) => logs.push(String(d))); e.on('data', (d) => logs.push(String(d))); } });
  const url = await mf.ready;
  const r = await fetch(new URL('/healthz', url));
  const t = await r.text();
  await mf.dispose();
  fs.writeFileSync('/tmp/attack7c/bad.json', JSON.stringify(cfg));
  const n = spawnSync(process.execPath, ['/work/main/apps/worker/dist/cli.js', '--check', '--config', '/tmp/attack7c/bad.json'], { encoding: 'utf8', timeout: 10000 });
  const nodeOut = n.stdout + n.stderr;
  console.log(`== ${label}\n  worker ${r.status} ${t.slice(0, 300)}${t.includes(SECRET) || logs.join('').includes(SECRET) ? '  <<SECRET LEAK>>' : ''}\n  node --check rc=${n.status} ${nodeOut.replace(/\n/g, ' | ').slice(0, 300)}${nodeOut.includes(SECRET) ? '  <<SECRET LEAK>>' : ''}`);
}
process.exit(0);
