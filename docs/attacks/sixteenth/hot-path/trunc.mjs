// Upstream declares a longer Content-Length than it sends and closes; and a cut chunked stream mid-event.
import { rawUpstream, startGw, post, chatBody, completion } from './lib.mjs';
let mode = 'short';
const up = await rawUpstream((socket) => {
  const b = completion('full answer');
  if (mode === 'short') { socket.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${b.length + 50}\r\n\r\n${b}`); }
  else socket.end(`HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n40\r\ndata: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"de\r\n`);
});
for (const m of ['short', 'cutStream']) {
  mode = m;
  const g = await startGw([{ name: 'a', baseUrl: up.url, apiKey: 'sk-test-aaaaaaaaaaaaaaaaaaaa' }]);
  const r = await post(g.url + '/v1/chat/completions', m === 'short' ? chatBody : { ...chatBody, stream: true }).catch((e) => ({ status: 'ERR ' + e.message, body: Buffer.alloc(0) }));
  console.log(m, r.status, r.error ?? '', r.body.toString().slice(0, 200));
  await g.close(100);
}
up.server.close(); process.exit(0);
