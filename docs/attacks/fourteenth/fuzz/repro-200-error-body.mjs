// A 200 whose body is an error object. OpenAI's shape ({"error":{…}}) is recognised as an embedded error and fails
// over; Anthropic's shape ({"type":"error","error":{…}}) on the chat route is served as a successful answer, and as
// a success it is passed as sent, so a key the upstream quotes in it reaches the caller unredacted.
import { withGateway, base } from './repro-common.mjs';
import { keyFor } from './upstream.mjs';
const good = { ...base, shape: 'json', ctype: 'application/json' };
for (const [label, plan] of [
  ['OpenAI-shaped error on 200', { ...base, shape: 'oaiError', ctype: 'application/json', etype: 'server_error', code: null, msg: 'Upstream failed, key', echoKey: true }],
  ['Anthropic-shaped error on 200', { ...base, shape: 'antError', ctype: 'application/json', etype: 'overloaded_error', msg: 'Overloaded, key', echoKey: true }],
  ['Anthropic-shaped error on 200, no content-type', { ...base, shape: 'antError', ctype: undefined, etype: 'api_error', msg: 'Internal error, key', echoKey: true }],
]) {
  const { res, requests } = await withGateway([[plan], [good]], { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  console.log(`[${label}] caller ${res.status} from ${res.headers['x-detour-endpoint']}; upstream requests ${JSON.stringify(requests)}; key in body: ${res.body.includes(keyFor(0))}; body ${res.body.slice(0, 160)}`);
}
process.exit(0);
