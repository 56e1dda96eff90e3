// Shared helpers: fake upstreams (node http, 127.0.0.1:0) and a gateway CLI child with a hard timeout.
import http from 'node:http';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
const require = createRequire('/tmp/attack24a/apps/worker/package.json');
export const OpenAI = require('openai').default ?? require('openai');
export const Anthropic = require('@anthropic-ai/sdk').default ?? require('@anthropic-ai/sdk');
export const ROOT = '/tmp/attack24a';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** handler(req, res, n, body) ; n = 1-based attempt count at this fake */
export async function fake(name, handler) {
  const f = { name, count: 0, log: [] };
  f.server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      f.count += 1;
      f.log.push({ t: Date.now(), url: req.url, key: req.headers.authorization ?? req.headers['x-api-key'] ?? req.headers['api-key'] });
      try { await handler(req, res, f.count, body); } catch (e) { try { res.destroy(); } catch {} }
    });
  });
  await new Promise((r) => f.server.listen(0, '127.0.0.1', r));
  f.port = f.server.address().port;
  f.url = `http://127.0.0.1:${f.port}/v1`;
  return f;
}

export async function gateway(config, { timeoutMs = 60000 } = {}) {
  const dir = fs.mkdtempSync('/tmp/attack24a/attack/.run-');
  const file = path.join(dir, 'detour.json');
  config.gatewayKeys ??= [{ env: 'DETOUR_GATEWAY_KEY' }];
  config.admin ??= { key: 'ak-admin-0123456789' };
  fs.writeFileSync(file, JSON.stringify(config, null, 1));
  const child = spawn('nice', ['-n', '19', 'node', `${ROOT}/apps/worker/dist/cli.js`, '--config', file, '--port', '0', '--access-log'], {
    env: { ...process.env, DETOUR_GATEWAY_KEY: 'gk-local-0123456789' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const g = { child, lines: [], err: '' };
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  killer.unref();
  child.stderr.on('data', (d) => (g.err += d));
  g.url = await new Promise((resolve, reject) => {
    let buf = '';
    const t = setTimeout(() => reject(new Error('gateway did not start: ' + g.err)), 15000);
    child.stdout.on('data', (d) => {
      buf += d;
      const m = /listening on (http:\/\/[^\s]+)/.exec(buf);
      if (m && !g.started) { g.started = true; clearTimeout(t); resolve(m[1]); }
      for (const line of String(d).split('\n')) if (line.startsWith('{')) g.lines.push(line);
    });
    child.on('exit', (c) => reject(new Error('gateway exited ' + c + ' ' + g.err)));
  });
  g.stop = async () => { child.kill('SIGTERM'); await sleep(300); child.kill('SIGKILL'); };
  g.state = async () => (await fetch(`${g.url}/admin/state`, { headers: { authorization: 'Bearer ak-admin-0123456789' } })).json();
  g.costs = async () => (await fetch(`${g.url}/admin/costs?window=1h`, { headers: { authorization: 'Bearer ak-admin-0123456789' } })).json();
  return g;
}

export const KEY = 'gk-local-0123456789';
export const openai = (g, opts = {}) => new OpenAI({ baseURL: `${g.url}/v1`, apiKey: KEY, maxRetries: 0, timeout: 30000, ...opts });
export const anthropic = (g, opts = {}) => new Anthropic({ baseURL: g.url, apiKey: KEY, maxRetries: 0, timeout: 30000, ...opts });

export const xd = (headers) => Object.fromEntries([...headers].filter(([k]) => k.startsWith('x-detour') || k === 'retry-after'));

/** raw POST to the gateway returning status, detour headers, text */
export async function raw(g, route, body, headers = {}) {
  const r = await fetch(`${g.url}${route}`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'x-api-key': KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, headers: xd(r.headers), text };
}

export const chatOk = (model = 'm') => JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });
export const msgOk = () => JSON.stringify({ id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x', content: [{ type: 'text', text: 'hello' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 10, output_tokens: 5 } });

export function endpointsSummary(state) {
  const eps = state.endpoints ?? state;
  return JSON.stringify(eps, (k, v) => v, 0).slice(0, 3000);
}
export const hardExit = (ms = 90000) => setTimeout(() => { console.log('HARD TIMEOUT'); process.exit(2); }, ms).unref();
