// G5 (real gateway, ~15 s): a caller sends an unknown body field named "per day"; the upstream answers as OpenAI does,
// lacks (OpenAI's 403 model_not_found); afterwards every caller's gpt-4.1 request is refused, and /healthz goes 503.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
let gw;
const cleanup = () => { try { gw?.kill('SIGTERM'); } catch {} upstream.close(); };
const hard = setTimeout(() => { console.log('HARD TIMEOUT'); cleanup(); process.exit(2); }, 60_000);
const upstream = http.createServer((req, res) => {
  let body = ''; req.on('data', (c) => (body += c)); req.on('end', () => {
    const json = JSON.parse(body);
    const unknown = Object.keys(json).filter((k) => !['model', 'messages', 'max_tokens', 'stream', 'stream_options'].includes(k));
    if (unknown.length > 0) {
      res.writeHead(400, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: { message: `Unrecognized request argument supplied: ${unknown[0]}`, type: 'invalid_request_error', param: null, code: null } }));
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'gpt-4.1', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } }));
  });
});
await new Promise((r) => upstream.listen(0, '127.0.0.1', r));
const dir = mkdtempSync('/tmp/attack24b/attack/g5-');
const config = join(dir, 'detour.json');
writeFileSync(config, JSON.stringify({ endpoints: [{ name: 'openai', provider: 'openai', baseUrl: `http://127.0.0.1:${upstream.address().port}/v1`, apiKey: 'sk-a' }], gatewayKeys: [{ key: 'gk-team-a', name: 'team-a' }, { key: 'gk-team-b', name: 'team-b' }] }));
gw = spawn('nice', ['-n', '19', 'node', '/tmp/attack24b/apps/worker/dist/cli.js', '--config', config, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
let out = '';
const port = await new Promise((resolve, reject) => {
  const onData = (d) => { out += d; const m = out.match(/127\.0\.0\.1:(\d+)/); if (m) resolve(Number(m[1])); };
  gw.stdout.on('data', onData); gw.stderr.on('data', onData);
  setTimeout(() => reject(new Error('no port: ' + out)), 20_000);
});
const base = `http://127.0.0.1:${port}`;
const ask = async (key, model, extra = {}) => {
  const r = await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...extra }) });
  const text = await r.text();
  return `${r.status} ${r.headers.get('x-detour-error') ?? ''} retry-after=${r.headers.get('retry-after')} ${text.slice(0, 140)}`;
};
console.log('team-b gpt-4.1 before:', await ask('gk-team-b', 'gpt-4.1'));
console.log('team-a unknown field "hello":   ', await ask('gk-team-a', 'gpt-4.1', { hello: 1 }));
console.log('team-b gpt-4.1 after that:      ', await ask('gk-team-b', 'gpt-4.1'));
console.log('team-a unknown field "per day": ', await ask('gk-team-a', 'gpt-4.1', { 'per day': 1 }));
for (let i = 0; i < 3; i += 1) { await new Promise((r) => setTimeout(r, 1000)); console.log(`team-b gpt-4.1 +${i + 1}s:`, await ask('gk-team-b', 'gpt-4.1')); }
const hz = await fetch(`${base}/healthz`); console.log('/healthz', hz.status, (await hz.text()).slice(0, 300));
cleanup(); clearTimeout(hard); setTimeout(() => process.exit(0), 300);
