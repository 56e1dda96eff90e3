// A lying upstream grows core's price-book cache: 1,000 model names of any length (the upstream's `model`).
// Requests name no model (a Responses stored prompt), so core prices by the model the answer names.
import http from 'node:http';
import { createFetch } from '../packages/node/dist/index.js';
const N = Number(process.env.N ?? 1000), LEN = Number(process.env.LEN ?? 1_000_000);
let i = 0;
const server = http.createServer((req, res) => {
  let body = ''; req.on('data', (c) => (body += c)); req.on('end', () => {
    const model = `gpt-${(i++).toString(36)}-`.padEnd(LEN, 'x');
    const answer = JSON.stringify({ object: 'response', id: `resp_${i}`, status: 'completed', model, output: [], usage: { input_tokens: 3, output_tokens: 2, total_tokens: 5 } });
    res.writeHead(200, { 'content-type': 'application/json' }); res.end(answer);
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/v1`;
const fetch = createFetch({ endpoints: [{ name: 'a', baseUrl: base, apiKey: 'sk-test-aaaaaaaaaaaaaaaa' }] });
const heap = () => { global.gc?.(); return (process.memoryUsage().heapUsed / 2 ** 20).toFixed(1); };
console.log(`N=${N} LEN=${LEN} heap before: ${heap()} MiB`);
for (let k = 0; k < N; k++) {
  const r = await fetch(`${base}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: { id: 'pmpt_1' }, input: 'hi' }) });
  await r.arrayBuffer();
  if ((k + 1) % (N / 5) === 0) console.log(`after ${k + 1} answers: heap ${heap()} MiB`);
}
await fetch.close?.();
server.close();
setTimeout(() => process.exit(0), 100).unref();
