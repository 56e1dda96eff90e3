// Header relay differential: duplicate names, odd names, obs-text, empty values, changing order.
import { rawUpstream, startGw, post, chatBody, completion, rawResponse } from './lib.mjs';
let n = 0;
const variants = [
  ['Content-Type: application/json', 'Set-Cookie: a=1', 'set-cookie: b=2', 'X-RateLimit-Remaining-Requests: 5', 'x-ratelimit-remaining-requests: 7', 'X-Odd: caf\xe9', 'X-Empty:', '__proto__: evil', 'constructor: c', 'hasOwnProperty: h', 'X-A: 1'],
  ['x-a: 2', 'content-type: application/json', 'X-Only-Second: yes', 'constructor: c2'],
  ['content-type: application/json'],
];
const up = await rawUpstream((socket, head, body) => {
  const v = variants[n++ % variants.length];
  socket.write(rawResponse(200, v, completion()));
});
const g = await startGw([{ name: 'a', baseUrl: up.url, apiKey: 'sk-test-aaaaaaaaaaaaaaaaaaaa' }]);
for (let i = 0; i < 3; i++) {
  const r = await post(g.url + '/v1/chat/completions', chatBody);
  console.log('--- answer', i, r.status);
  for (let j = 0; j < r.rawHeaders.length; j += 2) console.log('  ', JSON.stringify(r.rawHeaders[j]), JSON.stringify(r.rawHeaders[j + 1]));
}
await g.close(100); up.server.close(); process.exit(0);
