// What Content-Type reaches the upstream when the caller's is missing or wrong (curl -d without -H sends
// application/x-www-form-urlencoded)? The gateway has already parsed the body as a JSON object.
import http from 'node:http';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startGateway, raw, AUTH, CHAT, hardTimeout } from './harness.mjs';
hardTimeout(40000);
const seen = [];
const up = http.createServer((req, res) => { req.resume(); req.on('end', () => { seen.push(req.headers['content-type']);
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'gpt-4.1-mini', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } })); }); }).listen(0, '127.0.0.1');
await new Promise((r) => up.once('listening', r));
const gw = await startGateway(`http://127.0.0.1:${up.address().port}`);
await promisify(execFile)('nice', ['-n', '19', 'curl', '-sS', '-m', '8', '-o', '/dev/null', `${gw.url}/v1/chat/completions`, '-H', 'authorization: Bearer gk-test-key', '-d', CHAT]);
console.log(`curl -d (no -H content-type)      -> upstream content-type: ${JSON.stringify(seen.at(-1))}`);
for (const ct of [null, 'text/plain', 'application/json; charset=utf-16', 'multipart/form-data; boundary=x']) {
  await raw(gw.port, `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${AUTH}${ct ? `content-type: ${ct}\r\n` : ''}content-length: ${CHAT.length}\r\nconnection: close\r\n\r\n${CHAT}`, { quietMs: 400 });
  console.log(`caller content-type ${JSON.stringify(ct).padEnd(36)} -> upstream content-type: ${JSON.stringify(seen.at(-1))}`);
}
process.exit(0);
