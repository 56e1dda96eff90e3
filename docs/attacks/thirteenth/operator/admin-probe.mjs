// Admin route auth/shape probes over raw sockets (paths sent verbatim).
import net from 'node:net';
import { upstream, okChat, gateway, chat, GK, AK } from './lib.mjs';
const u = await upstream(okChat);
const gw = await gateway([u]);
await (await chat(gw, 'gpt-4.1-mini')).arrayBuffer();
const port = new URL(gw.url).port;
const raw = (reqText) => new Promise((resolve) => {
  const s = net.connect(port, '127.0.0.1', () => s.end(reqText));
  let out = ''; s.on('data', (d) => (out += d)); s.on('close', () => resolve(out)); s.on('error', () => resolve(out + '[err]'));
  setTimeout(() => s.destroy(), 3000);
});
const req = (method, path, headers = {}) => raw(`${method} ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}${Object.keys(headers).length ? '\r\n' : ''}\r\n`);
const sum = (o) => { const [head, ...b] = o.split('\r\n\r\n'); const st = head.split('\r\n')[0]; const body = b.join('').slice(0, 120).replace(/\s+/g, ' '); return `${st} | ${/access-control[^\r]*/i.exec(head)?.[0] ?? ''} | ${body}`; };
const noKey = ['/admin/state', '/admin/state/', '/admin//state', '//admin/state', '/ADMIN/state', '/admin/%73tate', '/%61dmin/state', '/admin/./state', '/v1/../admin/state', '/dashboard/', '/dashboard?x', '/Dashboard', '/dashboard%2f', '/admin/costs?window=24h', '/admin', '/admin/', 'http://x/admin/state', '/admin/state#x', '/admin/state%00', '/dashboard/..%2fadmin/state'];
for (const p of noKey) for (const m of ['GET', 'HEAD', 'OPTIONS']) {
  const o = await req(m, p, m === 'OPTIONS' ? { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' } : {});
  const line = sum(o); if (!/ 401 | 404 /.test(line.split('|')[0]) || /access-control/i.test(line)) console.log('NOKEY', m, p, '->', line);
}
const auths = {
  bearerOk: `Bearer ${AK}`, bearerLower: `bearer ${AK}`, bearerTrailing: `Bearer ${AK} trailing-garbage`, bearerTab: `Bearer\t${AK}`,
  basic: `Basic ${Buffer.from('u:' + AK).toString('base64')}`, basicNoUser: `Basic ${Buffer.from(AK).toString('base64')}`,
  basicColonOnly: `Basic ${Buffer.from(':' + AK).toString('base64')}`, gatewayKey: `Bearer ${GK}`, empty: 'Bearer ', basicBad: 'Basic %%%',
  basicNoPad: `Basic ${Buffer.from('u:' + AK).toString('base64').replace(/=+$/, '')}`,
  basicSpaces: `Basic ${Buffer.from('u:' + AK).toString('base64').replace(/(.{4})/g, '$1 ')}`,
};
for (const [name, a] of Object.entries(auths)) { const o = await req('GET', '/admin/costs', { Authorization: a }); console.log('auth', name, '->', sum(o).slice(0, 60)); }
for (const w of ['1e308', '-1h', '0m', '1m', '24h', '25h', '1440m', '1441m', '86400s', '86401s', '999999d', '1.5h', '__proto__', 'constructor', '%20%201h%20', '1h%0a', '１h', '٣h', '1H', '', '0001h', '1h&window=2h']) {
  const o = await req('GET', `/admin/costs?window=${w}`, { Authorization: `Bearer ${AK}` });
  const [h, b] = o.split('\r\n\r\n'); console.log('window', JSON.stringify(w), h.split('\r\n')[0].slice(9), (b ?? '').replace(/\s+/g, ' ').slice(0, 110));
}
{ const o = await req('GET', '/admin/costs?window[]=1h&window[__proto__]=x', { Authorization: `Bearer ${AK}` }); console.log('arr', o.split('\r\n')[0]); }
{ const o = await req('GET', '/v1/models', { Authorization: `Bearer ${AK}` }); console.log('admin key on /v1/models ->', o.split('\r\n')[0]); }
{ const o = await req('GET', '/dashboard', { Authorization: `Bearer ${AK}` }); console.log('dashboard headers', o.split('\r\n\r\n')[0].split('\r\n').filter((l) => /security|frame|cache|referrer|nosniff|type/i.test(l)).join(' || ').slice(0, 400)); }
await gw.close(100); await u.close();
