// Gateway auth: header spellings, empty values, query-string keys, forwarding of caller credentials upstream.
import http from 'node:http';
import { startGateway, raw, CHAT, hardTimeout, summarize } from './harness.mjs';
hardTimeout(90000);
const seen = [];
const up = http.createServer((req, res) => {
  let b = ''; req.on('data', (d) => { b += d; }); req.on('end', () => {
    seen.push({ url: req.url, headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json', 'x-echo-auth': String(req.headers.authorization ?? '') });
    res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'gpt-4.1-mini', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
  });
}).listen(0, '127.0.0.1');
await new Promise((r) => up.once('listening', r));
const upUrl = `http://127.0.0.1:${up.address().port}`;
const gw = await startGateway(upUrl, {}, { args: ['--access-log'] });
const P = gw.port;
const send = async (label, headers, path = '/v1/chat/completions') => {
  const r = await raw(P, `POST ${path} HTTP/1.1\r\nhost: x\r\n${headers}content-type: application/json\r\ncontent-length: ${CHAT.length}\r\nconnection: close\r\n\r\n${CHAT}`, { quietMs: 500 });
  const body = r.data.split('\r\n\r\n')[1] ?? '';
  console.log(`${label.padEnd(44)} ${summarize(r.data)[0]}  ${body.slice(0, 110)}`);
};
await send('Bearer good', 'authorization: Bearer gk-test-key\r\n');
await send('bearer lowercase', 'authorization: bearer gk-test-key\r\n');
await send('BEARER + tabs', 'authorization: BEARER\t gk-test-key \r\n');
await send('x-api-key good', 'x-api-key: gk-test-key\r\n');
await send('api-key (Azure SDK spelling)', 'api-key: gk-test-key\r\n');
await send('Authorization: gk-test-key (no scheme)', 'authorization: gk-test-key\r\n');
await send('Basic base64(:key)', `authorization: Basic ${Buffer.from(':gk-test-key').toString('base64')}\r\n`);
await send('empty authorization', 'authorization: \r\n');
await send('Bearer (nothing)', 'authorization: Bearer\r\n');
await send('Bearer + spaces', 'authorization: Bearer    \r\n');
await send('empty x-api-key', 'x-api-key: \r\n');
await send('key in query ?api-key', '', '/v1/chat/completions?api-key=gk-test-key');
await send('key in query ?key', '', '/v1/chat/completions?key=gk-test-key');
await send('two authorization headers (bad, good)', 'authorization: Bearer bad\r\nauthorization: Bearer gk-test-key\r\n');
await send('two x-api-key headers (bad, good)', 'x-api-key: bad\r\nx-api-key: gk-test-key\r\n');
await send('bad bearer + good x-api-key', 'authorization: Bearer bad\r\nx-api-key: gk-test-key\r\n');
await send('Bearer good + extra token', 'authorization: Bearer gk-test-key extra\r\n');
await send('models w/o key', '', '/v1/models');
// Forwarding: send every credential-ish header and see what reaches upstream.
await send('forwarding probe', 'authorization: Bearer gk-test-key\r\nx-api-key: gk-test-key\r\napi-key: caller-api-key\r\ncookie: session=caller-cookie\r\nproxy-authorization: Basic caller\r\nopenai-organization: org-caller\r\nx-forwarded-for: 1.2.3.4\r\nanthropic-beta: b1\r\nuser-agent: probe-ua\r\nx-request-id: rid-1\r\n');
const last = seen.at(-1);
console.log('upstream saw headers:', JSON.stringify(last.headers));
const leaked = JSON.stringify(seen).match(/gk-test-key|caller-api-key|caller-cookie|org-caller|Basic caller/g);
console.log('caller secrets reaching upstream:', leaked ?? 'none');
console.log('--- access log / stdout contains gateway key?', /gk-test-key/.test(gw.child.out + gw.child.err));
// Timing: compare mean latency of wrong keys of different lengths vs prefix-matching (coarse sanity only).
const time = async (hdr, n = 150) => { const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) await raw(P, `GET /v1/models HTTP/1.1\r\nhost: x\r\n${hdr}connection: close\r\n\r\n`, { quietMs: 50 }); return Number(process.hrtime.bigint() - t) / n / 1e6; };
process.exit(0);
