// The same through the gateway: no-model Responses requests (a stored prompt) answered with long `model` names.
// The gateway runs with a 512 MiB old space; we watch its RSS and whether it survives.
import http from 'node:http';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
const N = Number(process.env.N ?? 300), LEN = Number(process.env.LEN ?? 4_000_000), SAME = process.env.SAME === '1';
let i = 0;
const upstream = http.createServer((req, res) => {
  req.resume(); req.on('end', () => {
    const model = SAME ? 'gpt-4.1-'.padEnd(LEN, 'x') : `gpt-${(i++).toString(36)}-`.padEnd(LEN, 'x');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ object: 'response', id: `resp_${i}`, status: 'completed', model, output: [], usage: { input_tokens: 3, output_tokens: 2, total_tokens: 5 } }));
  });
});
await new Promise((r) => upstream.listen(0, '127.0.0.1', r));
const cfg = '/tmp/atk23b/attack/a1-gw.json';
fs.writeFileSync(cfg, JSON.stringify({ endpoints: [{ name: 'a', baseUrl: `http://127.0.0.1:${upstream.address().port}/v1`, apiKey: 'sk-test-aaaaaaaaaaaaaaaaaaaa' }], gatewayKeys: ['gk-test-bbbbbbbbbbbbbbbb'] }));
const gw = spawn('node', ['--max-old-space-size=512', '/tmp/atk23b/apps/worker/dist/cli.js', '--config', cfg, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
let out = '', err = '';
gw.stderr.on('data', (d) => (err += d));
const url = await new Promise((resolve, reject) => {
  gw.stdout.on('data', (d) => { out += d; const m = /http:\/\/[\d.:]+/.exec(out); if (m) resolve(m[0]); });
  gw.on('exit', () => reject(new Error('gateway exited: ' + err)));
  setTimeout(() => reject(new Error('no url: ' + out + err)), 10000);
});
let exited; gw.on('exit', (code, sig) => (exited = `${code ?? sig}`));
const rss = () => { try { return (Number(fs.readFileSync(`/proc/${gw.pid}/statm`, 'utf8').split(' ')[1]) * 4096 / 2 ** 20).toFixed(0); } catch { return 'gone'; } };
console.log(`N=${N} LEN=${LEN} SAME=${SAME} gateway ${url} rss ${rss()} MiB`);
let ok = 0, failed = 0;
for (let k = 0; k < N && !exited; k++) {
  try {
    const r = await fetch(`${url}/v1/responses`, { method: 'POST', headers: { authorization: 'Bearer gk-test-bbbbbbbbbbbbbbbb', 'content-type': 'application/json' }, body: JSON.stringify({ prompt: { id: 'pmpt_1' }, input: 'hi' }) });
    await r.arrayBuffer(); r.status === 200 ? ok++ : failed++;
  } catch { failed++; }
  if ((k + 1) % 25 === 0) console.log(`after ${k + 1}: ok ${ok} failed ${failed} gateway rss ${rss()} MiB`);
}
console.log(`done: ok ${ok} failed ${failed}; gateway exit: ${exited ?? 'still running'}; stderr tail: ${err.slice(-300).replace(/\n/g, ' | ')}`);
gw.kill('SIGKILL'); upstream.close(); setTimeout(() => process.exit(0), 200).unref();
