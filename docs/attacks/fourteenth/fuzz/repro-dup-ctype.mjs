// An upstream stream answer with two Content-Type lines (application/json first, text/event-stream second):
// Detour reads it as a stream and relays it, labelled with the first value only.
import { withGateway, base } from './repro-common.mjs';
const plan = { ...base, shape: 'sse', framing: 'chunked', ctype: 'application/json; charset=utf-8', extraHeaders: [['content-type', 'text/event-stream']] };
for (const stream of [true, false]) {
  const { res, requests } = await withGateway([[plan], [{ ...base, shape: stream ? 'sse' : 'json', ctype: stream ? 'text/event-stream' : 'application/json', framing: 'chunked' }]], { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream });
  console.log(`stream=${stream}: caller ${res.status} content-type=${res.headers['content-type']} from ${res.headers['x-detour-endpoint']} end=${res.end}; upstream requests ${JSON.stringify(requests)}; body starts ${JSON.stringify(res.body.slice(0, 40))}`);
}
process.exit(0);
