import http from 'node:http'; import net from 'node:net';
import { createRequire } from 'node:module';
const require = createRequire('/tmp/attack17a/repo/packages/node/package.json');
const { Agent, request } = require('undici');
setTimeout(() => process.exit(3), 10000).unref();
const srv = http.createServer((q, s) => s.end('ok')).listen(0, '::1', async () => {
  const port = srv.address().port;
  console.log('net default autoSelectFamily', net.getDefaultAutoSelectFamily?.());
  await new Promise((r) => { const c = net.connect({ host: 'localhost', port }); c.on('connect', () => { console.log('net.connect localhost -> ok', c.remoteAddress); c.destroy(); r(); }); c.on('error', (e) => { console.log('net.connect err', e.code); r(); }); });
  try { const r = await request(`http://localhost:${port}/`, { dispatcher: new Agent() }); console.log('undici Agent() localhost ->', r.statusCode); } catch (e) { console.log('undici Agent() err', e.code, e.message); }
  try { const r = await request(`http://localhost:${port}/`, { dispatcher: new Agent({ connect: { timeout: 10000 } }) }); console.log('undici Agent({connect:{timeout}}) localhost ->', r.statusCode); } catch (e) { console.log('undici Agent({connect:{timeout}}) err', e.code, e.message); }
  try { const r = await fetch(`http://localhost:${port}/`); console.log('global fetch localhost ->', r.status); } catch (e) { console.log('global fetch err', e.cause?.code); }
  process.exit(0);
});
