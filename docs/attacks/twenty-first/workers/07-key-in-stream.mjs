// An upstream that echoes its key in a response header and in an SSE line (an error event) inside a 200 stream,
// through the Workers gateway (workerd) and the Node gateway, fresh gateway per case.
import http from 'node:http';
import { gatewayInWorkerd, gatewayInNode, watchdog } from './lib.mjs';
watchdog(120000);
let mode;
const up = http.createServer((req, res) => {
  req.resume(); req.on('end', () => {
    const key = req.headers.authorization?.slice(7) ?? req.headers['x-api-key'];
    const msgs = req.url.includes('/messages');
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-echo': key, 'openai-organization': `org-${key}` });
    if (msgs) res.write(`event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], usage: { input_tokens: 1, output_tokens: 0 } } })}\n\n`);
    else res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'hi' } }] })}\n\n`);
    if (mode === 'error-event') res.write(msgs ? `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'api_error', message: `bad key ${key}` } })}\n\n` : `data: ${JSON.stringify({ error: { message: `bad key ${key}`, type: 'server_error' } })}\n\n`);
    else res.write(msgs ? `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: `echo ${key}` } })}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n` : `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: `echo ${key}` } }] })}\n\ndata: [DONE]\n\n`);
    res.end();
  });
});
await new Promise((r) => up.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${up.address().port}/v1`;
const config = { gatewayKeys: [{ env: 'GW' }], endpoints: [{ name: 'oai', baseUrl: base, apiKey: { env: 'KO' }, apis: ['chat'] }, { name: 'ant', baseUrl: base, apiKey: { env: 'KA' }, provider: 'anthropic' }] };
const env = { GW: 'gw-key', KO: 'sk-proj-SECRETSECRETSECRET1234567890abcd', KA: 'sk-ant-api03-SECRETANTHROPIC0123456789' };
for (const [label, start] of [['workerd', () => gatewayInWorkerd(config, env)], ['node', () => gatewayInNode(config, env)]]) {
  for (const m of ['error-event', 'content']) for (const api of ['chat', 'messages']) {
    mode = m; const gw = await start();
    const r = await fetch(gw.url + (api === 'chat' ? '/v1/chat/completions' : '/v1/messages'), { method: 'POST', headers: { authorization: 'Bearer gw-key', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' }, body: JSON.stringify(api === 'chat' ? { model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'x' }] } : { model: 'claude-sonnet-4-5', stream: true, max_tokens: 9, messages: [{ role: 'user', content: 'x' }] }) });
    const t = await r.text().catch((e) => `READ ERROR ${e.message}`);
    const h = [...r.headers].filter(([k]) => k.startsWith('x-echo') || k.startsWith('openai-org')).map(([k, v]) => `${k}=${v}`).join(' ');
    console.log(`[${label}] ${api} ${m}: ${r.status} ${h} body: ${t.replace(/\n/g, '\\n').slice(0, 400)} ${/SECRET/.test(t + h) ? '<== KEY LEAKED' : ''}`);
    await gw.close();
  }
}
up.close(); process.exit(0);
