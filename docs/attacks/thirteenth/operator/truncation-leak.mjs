// A non-JSON upstream error body is shortened to 1000 characters BEFORE it is scrubbed: a key straddling character
// 1000 is cut, the scrubber no longer recognises the fragment, and all but the last few characters of the key leak.
import { upstream, gateway, chat, UPKEY } from './lib.mjs';
const keep = UPKEY.length - 3; // leave 3 characters beyond the cut
const u = await upstream((req, body, res) => {
  res.writeHead(400, { 'content-type': 'text/plain' });
  res.end('Upstream debug dump: ' + 'x'.repeat(1000 - 21 - keep) + UPKEY + ' (authorization header)');
});
for (const path of ['/v1/chat/completions', '/v1/messages']) {
  const gw = await gateway([u], { router: { maxAttempts: 1 }, endpoint: path === '/v1/messages' ? { provider: 'anthropic' } : {} });
  const r = await fetch(gw.url + path, { method: 'POST', headers: { authorization: 'Bearer gk-caller-0123456789', 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'gpt-4.1-mini', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }) });
  const t = await r.text();
  const msg = JSON.parse(t).error.message;
  const tail = msg.slice(-keep - 1);
  console.log(path, r.status, 'message ends with:', JSON.stringify(msg.slice(-60)));
  console.log('  key prefix leaked:', msg.includes(UPKEY.slice(0, keep)), `(${keep} of ${UPKEY.length} chars)`);
  await gw.close(100);
}
await u.close();
