// The same signals through the detour-gateway CLI (Anthropic /v1/messages with two keys; OpenAI chat).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { upstream, ERR, OK } from './lib.mjs';
let beh = {};
const up = await upstream(new Proxy({}, { get: (_, k) => beh[k] }));
const antOK = () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: 'hi' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } }) });
writeFileSync('/tmp/attack9b/gw.json', JSON.stringify({ endpoints: [
  { name: 'claude-a', provider: 'anthropic', baseUrl: up.url('ca') + '/v1', apiKey: 'sk-ant-a', priority: 0 },
  { name: 'claude-b', provider: 'anthropic', baseUrl: up.url('cb') + '/v1', apiKey: 'sk-ant-b', priority: 1 },
  { name: 'oa', baseUrl: up.url('oa') + '/v1', apiKey: 'sk-a', priority: 0 },
  { name: 'ob', baseUrl: up.url('ob') + '/v1', apiKey: 'sk-b', priority: 1 },
] }));
const child = spawn(process.execPath, ['/tmp/attack9b/repo/apps/worker/dist/cli.js', '--config', '/tmp/attack9b/gw.json', '--port', '0', '--allow-unauthenticated'], { stdio: ['ignore', 'pipe', 'pipe'] });
const killer = setTimeout(() => child.kill('SIGTERM'), 60000); killer.unref();
const base = await new Promise((resolve, reject) => {
  let out = ''; const t = setTimeout(() => reject(new Error('gateway did not start: ' + out)), 15000);
  const on = (d) => { out += d; const m = /listening on (http:\/\/\S+)/.exec(out); if (m) { clearTimeout(t); resolve(m[1]); } };
  child.stdout.on('data', on); child.stderr.on('data', on);
});
const call = async (label, path, body, headers = {}) => {
  const t = Date.now();
  const r = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(20000) });
  const text = await r.text();
  console.log(`${label.padEnd(58)} ${r.status} ${Date.now() - t}ms endpoint=${r.headers.get('x-detour-endpoint')} retry-after=${r.headers.get('retry-after')} x-should-retry=${r.headers.get('x-should-retry')} x-detour-error=${r.headers.get('x-detour-error')} hits=${JSON.stringify(up.counts)} body=${text.slice(0, 120)}`);
};
const msg = { model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] };
const chat = { model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] };
const antH = { 'anthropic-version': '2023-06-01' };
try {
  beh = { ca: () => ERR(400, {}, { type: 'error', error: { type: 'invalid_request_error', message: 'You have reached your specified API usage limits. You will regain access on 2026-04-01 at 00:00 UTC.' } }), cb: antOK };
  up.reset(); await call('messages: key A out of usage limit (400), key B fine', '/v1/messages', msg, antH);
  beh = { oa: () => ERR(429, { 'retry-after': '0' }, { error: { message: 'rl', type: 'requests', code: 'rate_limit_exceeded' } }), ob: OK };
  up.reset(); await call('chat: primary 429 Retry-After: 0, backup fine', '/v1/chat/completions', chat);
  beh = { oa: () => ERR(429, { 'retry-after': '40' }, { error: { message: 'rl', type: 'requests', code: 'rate_limit_exceeded' } }), ob: () => ERR(429, { 'retry-after': '45' }, { error: { message: 'rl', type: 'requests', code: 'rate_limit_exceeded' } }) };
  up.reset(); await call('chat: both 429 RA 40/45 (first request)', '/v1/chat/completions', { ...chat, model: 'gpt-x' });
  await call('chat: both cooling (second request)', '/v1/chat/completions', { ...chat, model: 'gpt-x' });
  beh = { ca: () => ERR(529, {}, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }), cb: () => ERR(529, {}, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }) };
  up.reset(); await call('messages: both 529 no hint', '/v1/messages', { ...msg, model: 'claude-x' }, antH);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => { const t = setTimeout(r, 5000); child.on('exit', () => { clearTimeout(t); r(); }); });
  await up.close();
}
