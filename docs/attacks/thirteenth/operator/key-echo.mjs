// Do 401s/other refusals echo presented keys? Does the gateway key reach the upstream?
import { upstream, okChat, gateway, GK, AK } from './lib.mjs';
const u = await upstream(okChat);
const gw = await gateway([u]);
const probe = 'gk-WRONG-PRESENTED-KEY-987654';
const tries = [
  ['/v1/chat/completions', { authorization: `Bearer ${probe}` }],
  ['/v1/chat/completions', { 'x-api-key': probe }],
  ['/v1/messages', { 'x-api-key': probe, 'anthropic-version': '2023-06-01' }],
  ['/v1/chat/completions', { authorization: `Basic ${Buffer.from('u:' + probe).toString('base64')}` }],
  ['/admin/state', { authorization: `Bearer ${probe}` }],
  ['/v1/nope', { authorization: `Bearer ${probe}` }],
];
for (const [p, h] of tries) {
  const r = await fetch(gw.url + p, { method: p.startsWith('/admin') ? 'GET' : 'POST', headers: { 'content-type': 'application/json', ...h }, body: p.startsWith('/admin') ? undefined : '{"model":"gpt-4.1-mini","messages":[]}' });
  const t = await r.text();
  console.log(p, Object.keys(h)[0], r.status, 'echo', t.includes('WRONG') || JSON.stringify([...r.headers]).includes('WRONG'), t.slice(0, 100));
}
const r = await fetch(gw.url + '/v1/chat/completions', { method: 'POST', headers: { authorization: `Bearer ${GK}`, 'x-api-key': GK, 'content-type': 'application/json', 'user-agent': `ua ${GK}`, 'x-request-id': AK }, body: JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] }) });
await r.text();
const seen = JSON.stringify(u.seen.at(-1).headers);
console.log('upstream got gateway key in auth headers:', /gk-caller/.test(JSON.stringify({ a: u.seen.at(-1).headers.authorization, x: u.seen.at(-1).headers['x-api-key'] })), '| forwarded headers:', seen.slice(0, 400));
console.log('logs contain keys:', gw.logs.join('').includes('gk-'), gw.logs.join('').includes('WRONG'));
await gw.close(100); await u.close();
