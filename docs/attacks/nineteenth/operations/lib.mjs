// Shared helpers for attack 19 (day-2 operations). Everything binds 127.0.0.1, everything is bounded in time.
import { spawn } from 'node:child_process';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export const REPO = process.env.REPO ?? '/tmp/attack19/repo';
export const OLD = process.env.OLD ?? '/tmp/attack19/old';
export const CLI = (repo = REPO) => path.join(repo, 'apps/worker/dist/cli.js');
const requireFromRepo = createRequire(path.join(REPO, 'apps/worker/package.json'));
export const OpenAI = (await import(requireFromRepo.resolve('openai'))).default;
export const IORedis = (await import(createRequire(path.join(REPO, 'packages/redis/package.json')).resolve('ioredis'))).default;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const TMP = '/tmp/attack19/run';
fs.mkdirSync(TMP, { recursive: true });

const cleanups = [];
export const onCleanup = (fn) => cleanups.push(fn);
export const cleanup = async () => { for (const fn of cleanups.reverse()) { try { await fn(); } catch {} } cleanups.length = 0; };
export const hardStop = (ms) => { const t = setTimeout(async () => { console.log(`TIMEOUT after ${ms} ms`); await cleanup(); process.exit(3); }, ms); t.unref(); };

/** redis-server on 127.0.0.1:<port>, no persistence. */
export const startRedis = async (port) => {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  onCleanup(() => { try { child.kill('SIGTERM'); } catch {} });
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('redis did not start')), 5000);
    child.stdout.on('data', (d) => { if (String(d).includes('Ready to accept')) { clearTimeout(t); resolve(); } });
    child.on('exit', (c) => reject(new Error('redis exited ' + c)));
  });
  const r = new IORedis(`redis://127.0.0.1:${port}`, { lazyConnect: false, maxRetriesPerRequest: 1 });
  onCleanup(() => r.disconnect());
  return { url: `redis://127.0.0.1:${port}`, client: r, child };
};

/**
 * A tiny OpenAI-compatible upstream. `keys` maps a bearer key to a behaviour: 'ok' | 'revoked' (401) | 'spent'
 * (429 insufficient_quota) | 'rate' (429 with retry-after) | '500'. Unknown keys answer 401. `behaviour` may be
 * replaced at runtime. Records every request's key.
 */
export const startUpstream = async (name, keys) => {
  const seen = [];
  const state = { keys: { ...keys }, extraHeaders: {}, keyHeaders: {} };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const auth = req.headers.authorization ?? '';
      const key = auth.replace(/^Bearer /, '') || req.headers['x-api-key'] || '';
      seen.push({ key, url: req.url, at: Date.now() });
      const mode = state.keys[key] ?? 'revoked';
      const headers = { 'content-type': 'application/json', 'x-request-id': 'req_' + seen.length, ...state.extraHeaders, ...(state.keyHeaders[key] ?? {}) };
      if (mode === 'revoked') {
        res.writeHead(401, headers);
        return res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }));
      }
      if (mode === 'spent') {
        res.writeHead(429, headers);
        return res.end(JSON.stringify({ error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } }));
      }
      if (mode === 'rate' || mode === 'rate-model') {
        res.writeHead(429, { ...headers, 'retry-after': '600' });
        return res.end(JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }));
      }
      if (mode === 'hang') return; // never answers; the socket is closed at cleanup
      if (mode === '500') { res.writeHead(500, headers); return res.end(JSON.stringify({ error: { message: 'boom', type: 'server_error' } })); }
      let model = 'gpt-4.1-mini';
      try { model = JSON.parse(body).model ?? model; } catch {}
      res.writeHead(200, headers);
      res.end(JSON.stringify({ id: 'chatcmpl-' + seen.length, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model,
        choices: [{ index: 0, message: { role: 'assistant', content: `Hello from ${name}` }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } }));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  onCleanup(() => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); setTimeout(r, 500); }));
  const port = server.address().port;
  return { name, url: `http://127.0.0.1:${port}/v1`, seen, state, server };
};

/** Starts the gateway CLI (from `repo`) with `config` (object, written to a file) and env; resolves with its URL. */
export const startGateway = async (label, config, { env = {}, repo = REPO, configPath, extraArgs = [] } = {}) => {
  const file = configPath ?? path.join(TMP, `${label}.json`);
  if (config !== undefined) fs.writeFileSync(file, JSON.stringify(config, null, 2));
  const child = spawn(process.execPath, [CLI(repo), '--config', file, '--port', '0', ...extraArgs], {
    env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d) => { out.stdout += d; });
  child.stderr.on('data', (d) => { out.stderr += d; });
  const exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })));
  onCleanup(async () => { if (child.exitCode === null) { child.kill('SIGKILL'); await exited; } });
  const url = await new Promise((resolve) => {
    const t = setTimeout(() => resolve(undefined), 8000);
    const check = () => { const m = out.stdout.match(/listening on (http:\/\/\S+)/); if (m) { clearTimeout(t); resolve(m[1]); } };
    child.stdout.on('data', check);
    child.on('exit', () => { clearTimeout(t); resolve(undefined); });
  });
  return { label, url, child, out, exited, file,
    stop: async (signal = 'SIGTERM') => { if (child.exitCode === null) child.kill(signal); return Promise.race([exited, sleep(8000).then(() => { child.kill('SIGKILL'); return exited; })]); } };
};

export const chat = async (gw, key = 'gk-test', model = 'gpt-4.1-mini') => {
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }] }), signal: AbortSignal.timeout(15000),
  });
  const text = await res.text();
  return { status: res.status, endpoint: res.headers.get('x-detour-endpoint'), error: res.headers.get('x-detour-error'), retryAfter: res.headers.get('retry-after'), text };
};

export const getJson = async (gw, p, headers = {}) => {
  const res = await fetch(`${gw.url}${p}`, { headers, signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  try { return { status: res.status, body: JSON.parse(text), text }; } catch { return { status: res.status, body: undefined, text }; }
};

export const redisDump = async (client, pattern = '*') => {
  const keys = (await client.keys(pattern)).sort();
  const out = {};
  for (const k of keys) {
    const type = await client.type(k);
    if (type === 'hash') out[k] = await client.hgetall(k);
    else if (type === 'set') out[k] = (await client.smembers(k)).sort();
    else if (type === 'zset') out[k] = await client.zrange(k, 0, -1, 'WITHSCORES');
    else if (type === 'string') out[k] = await client.get(k);
    else out[k] = `<${type}>`;
  }
  return out;
};

export const gwConfig = (endpoints, redisUrl, extra = {}) => ({
  endpoints, gatewayKeys: ['gk-test'], store: { redis: redisUrl, ...(extra.prefix ? { prefix: extra.prefix } : {}) },
  ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'prefix')),
});
