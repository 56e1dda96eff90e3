// An upstream error body that ends inside the endpoint's key (the upstream's own Content-Length is shorter than the
// body it meant, or the connection breaks mid-body): the scrubber only redacts whole keys, so all but the last few
// characters of the key reach the caller in the relayed error.
import { withGateway, base } from './repro-common.mjs';
import { keyFor } from './upstream.mjs';
const key = keyFor(0);
for (const [label, plan] of [
  ['400 text/plain, Content-Length 3 short of the body', { ...base, status: 400, shape: 'html', ctype: 'text/plain', framing: 'cl-short' }],
  ['400 JSON error, Content-Length 5 short (body ends inside the key)', { ...base, status: 400, shape: 'oaiErrorKeyLast', ctype: 'application/json', framing: 'cl-short' }],
  ['400 SSE-shaped body whose last comment quotes the key, Content-Length 5 short', { ...base, status: 400, shape: 'sse', keepAliveAt: 9, echoKey: true, ctype: undefined, framing: 'cl-short' }],
]) {
  // html shape: `<html>…${key}</body></html>` – replace with a body that ends with the key
  const p = { ...plan };
  if (p.shape === 'html') p.shape = 'plainKeyLast';
  const { res, requests } = await withGateway([[p]], { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  const longest = [...Array(key.length).keys()].map((n) => key.length - n).find((n) => res.body.includes(key.slice(0, n))) ?? 0;
  console.log(`[${label}] caller ${res.status}; longest key prefix in the caller's body: ${longest} of ${key.length} chars; body tail ${JSON.stringify(res.body.slice(-80))}`);
}
process.exit(0);
