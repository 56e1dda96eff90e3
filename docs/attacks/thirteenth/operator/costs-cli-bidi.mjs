// Caller model names with bidi overrides / zero-width characters reach `detour-gateway costs` unescaped (only C0/C1
// controls are escaped), so a caller can make the operator's table read differently from the data.
import { execFile } from 'node:child_process';
import { upstream, okChat, gateway, chat, AK } from './lib.mjs';
const u = await upstream(okChat);
const gw = await gateway([u]);
const names = ['gpt-4.1-mini', 'gpt-4.1-mini-\u202Eniam-ereht', 'gpt\u200B-4.1-mini', 'a\u2028b', 'team-b\u2066  $9.99\u2069'];
for (const n of names) { const r = await chat(gw, n); console.log(JSON.stringify(n), r.status); await r.arrayBuffer(); }
const out = await new Promise((resolve) => execFile(process.execPath, ['/tmp/atk13b/apps/worker/dist/cli.js', 'costs', '--url', gw.url, '--window', '1h'], { env: { ...process.env, DETOUR_ADMIN_KEY: AK }, timeout: 20000 }, (e, so, se) => resolve(so + se)));
console.log(out);
const cps = [...out].filter((c) => /[\u200B-\u200F\u2028-\u202E\u2066-\u2069]/.test(c)).map((c) => 'U+' + c.codePointAt(0).toString(16).toUpperCase());
console.log('format/bidi code points printed raw:', cps.join(' '));
await gw.close(100); await u.close();
