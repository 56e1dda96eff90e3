// Upstream errors echoing its own key in various spellings; does any spelling reach the caller, /healthz, /admin/state?
import zlib from 'node:zlib';
import { upstream, gateway, chat, admin, UPKEY } from './lib.mjs';
const b64 = (s) => Buffer.from(s).toString('base64');
const variants = {
  raw: (k) => `bad key ${k}`,
  jsonSlash: (k) => `bad key ${k.replace(/\//g, '\\/')}`,          // PHP json_encode / Go's HTML-safe? style
  pct: (k) => `url=https://x/?key=${encodeURIComponent(k)}`,
  pctAll: (k) => [...k].map((c) => '%' + c.charCodeAt(0).toString(16)).join(''),
  pctDouble: (k) => encodeURIComponent(encodeURIComponent(k)),
  u00: (k) => [...k].map((c) => '\\u00' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''),
  b64Bearer: (k) => `auth=${b64('Bearer ' + k)}`,
  b64Basic: (k) => `auth=${b64('user:' + k)}`,
  b64Mime: (k) => b64('xx' + k + k).replace(/(.{20})/g, '$1\r\n'),
  hex: (k) => Buffer.from(k).toString('hex'),
  htmlEnt: (k) => [...k].map((c) => `&#${c.charCodeAt(0)};`).join(''),
  upper: (k) => k.toUpperCase(),
  pyBytes: (k) => `b'${[...k].map((c) => '\\x' + c.charCodeAt(0).toString(16)).join('')}'`,
};
const mode = { v: 'raw', status: 400, gzip: false, header: false };
const u = await upstream((req, body, res) => {
  // The variant is spliced into the JSON text as-is (wire form), so e.g. `\/` is what a PHP upstream sends.
  const text = `{"error":{"message":"${variants[mode.v](UPKEY).replace(/"/g, "'").replace(/[\r\n]/g, ' ')}","type":"invalid_request_error"}}`;
  const headers = { 'content-type': 'application/json' };
  if (mode.header) headers['x-debug'] = variants[mode.v](UPKEY).replace(/[^\x20-\x7e]/g, ' ').slice(0, 400);
  if (mode.gzip) { headers['content-encoding'] = 'gzip'; res.writeHead(mode.status, headers); return res.end(zlib.gzipSync(text)); }
  res.writeHead(mode.status, headers); res.end(text);
});
const gw = await gateway([u], { router: { maxAttempts: 1 } });
const leaks = (s) => {
  const out = [];
  for (const [name, f] of Object.entries(variants)) if (s.includes(f(UPKEY))) out.push(name);
  if (s.includes('SECRET') || s.includes('secret')) out.push('fragment:SECRET');
  return out;
};
for (const status of [400, 500, 429]) for (const v of Object.keys(variants)) for (const [gzip, header] of [[false, false], [true, false], [false, true]]) {
  Object.assign(mode, { v, status, gzip, header });
  const r = await chat(gw, 'gpt-4.1-mini');
  const raw = Buffer.from(await r.arrayBuffer());
  let body = raw.toString('latin1');
  if (r.headers.get('content-encoding') === 'gzip') { try { body = zlib.gunzipSync(raw).toString(); } catch {} }
  const hdrs = JSON.stringify([...r.headers]);
  let parsed = ''; try { parsed = JSON.parse(body).error.message; } catch {}
  const found = [...leaks(body), ...leaks(hdrs).map((x) => 'hdr:' + x), ...(parsed.includes(UPKEY) ? ['PARSED-FULL-KEY'] : [])];
  if (found.length) console.log(`LEAK status=${status} variant=${v} gzip=${gzip} header=${header} -> ${r.status} ${found.join(',')} ce=${r.headers.get('content-encoding')} body=${body.slice(0, 160)}`);
}
for (const p of ['/healthz', '/admin/state', '/metrics']) {
  const t = await (await (p === '/admin/state' ? admin(gw, p) : fetch(gw.url + p))).text();
  const f = leaks(t); if (f.length) console.log('LEAK in', p, f, t.slice(0, 300));
}
console.log('done; logs leak:', leaks(gw.logs.join('')));
await gw.close(100); await u.close();
