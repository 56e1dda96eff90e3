// (a) DELETE /v1/responses/:id answered 204 upstream: what the gateway sends. (b) lone-CR SSE: SDK direct vs gateway.
import http from 'node:http';
import { rawUpstream, startGw, reqFrom, completion } from './lib.mjs';
const OpenAI = reqFrom('openai').default ?? reqFrom('openai');
let mode = 'delete';
const c = (content, finish = null) => `{"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}},"finish_reason":${JSON.stringify(finish)}}]}`;
const crStream = `data: ${c('hello')}\r\rdata: ${c('', 'stop')}\r\rdata: [DONE]\r\r`;
const up = await rawUpstream((socket, head) => {
  if (mode === 'delete') socket.write('HTTP/1.1 204 No Content\r\nx-up: 1\r\n\r\n');
  else socket.write(`HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: ${Buffer.byteLength(crStream)}\r\n\r\n${crStream}`);
});
const g = await startGw([{ name: 'a', baseUrl: up.url, apiKey: 'sk-test-aaaaaaaaaaaaaaaaaaaa' }]);
const raw = await new Promise((resolve) => {
  const u = new URL(g.url);
  const net = reqFrom('node:net');
  const s = net.connect(u.port, '127.0.0.1', () => s.write('DELETE /v1/responses/resp_abc HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'));
  let got = ''; s.on('data', (d) => (got += d)); s.on('end', () => resolve(got)); s.on('error', () => resolve(got));
  setTimeout(() => { s.destroy(); resolve(got); }, 3000);
});
console.log('(a) raw answer to DELETE (upstream said 204 with no Content-Length):\n' + raw.split('\r\n').map((l) => '    ' + l).join('\n'));
mode = 'cr';
const run = async (label, client) => {
  try {
    const s = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = ''; for await (const ch of s) text += ch.choices[0]?.delta?.content ?? '';
    console.log(label.padEnd(26), 'OK text =', JSON.stringify(text));
  } catch (e) { console.log(label.padEnd(26), 'FAILED', e.status ?? '', String(e.message).slice(0, 200)); }
};
await run('(b) direct (openai SDK)', new OpenAI({ baseURL: up.url, apiKey: 'x', maxRetries: 0 }));
await run('(b) via gateway', new OpenAI({ baseURL: g.url + '/v1', apiKey: 'x', maxRetries: 0 }));
await g.close(100); up.server.close(); process.exit(0);
