import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startChaosUpstream, type ChaosUpstream } from '@detour/testkit';
import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { startGateway, type RunningGateway } from '../src/node/start-gateway';

const cli = join(import.meta.dirname, '../dist/cli.js');
const run = promisify(execFile);
const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '../package.json'), 'utf8')) as { version: string };

const upstreams: ChaosUpstream[] = [];
const gateways: RunningGateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close(0)));
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

const configFile = (config: unknown) => {
  const path = join(mkdtempSync(join(tmpdir(), 'detour-cli-')), 'detour.json');
  writeFileSync(path, JSON.stringify(config));
  return path;
};

describe('detour-gateway --help, --version and --check', () => {
  it('prints its help with every flag, and its version from the manifest', async () => {
    const help = await run(process.execPath, [cli, '--help']);
    for (const flag of ['--config', '--port', '--host', '--allow-unauthenticated', '--access-log', '--check', '--version']) expect(help.stdout).toContain(flag);
    expect((await run(process.execPath, [cli, '--version'])).stdout.trim()).toBe(manifest.version);
    expect((await run(process.execPath, [cli, '-v'])).stdout.trim()).toBe(manifest.version);
  });

  it('validates a config and prints endpoints by tier and the models, never a key, without starting', async () => {
    const path = configFile({
      endpoints: [
        { name: 'primary', baseUrl: 'https://primary.example/v1', apiKey: { env: 'PRIMARY_KEY' }, models: ['gpt-4.1'] },
        { name: 'backup', baseUrl: 'https://backup.example/v1', apiKey: 'sk-inline-secret-value', priority: 1, models: { 'gpt-4.1': 'vendor/gpt-4.1' } },
      ],
      gatewayKeys: ['gk-secret-gateway-key'],
    });
    const { stdout } = await run(process.execPath, [cli, '--check', '--config', path], { env: { ...process.env, PRIMARY_KEY: 'sk-from-env-secret' } });
    expect(stdout).toContain('config OK');
    expect(stdout).toMatch(/tier 0:\n {4}primary {2}https:\/\/primary\.example\/v1 {2}weight 1 {2}key set {2}models: gpt-4\.1/);
    expect(stdout).toMatch(/tier 1:\n {4}backup .*models: gpt-4\.1 → vendor\/gpt-4\.1 {2}apis: chat, completions, embeddings, responses/);
    expect(stdout).toContain('public models (GET /v1/models): gpt-4.1');
    for (const secret of ['sk-from-env-secret', 'sk-inline-secret-value', 'gk-secret-gateway-key']) expect(stdout).not.toContain(secret);
  });

  it('fails --check, as the start fails, for a store Node cannot have (the twelfth attack)', async () => {
    // Before, --check passed a Durable Object store that the start then refused: systemd's ExecStartPre let it through.
    const path = configFile({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1' }], gatewayKeys: ['gk'], store: { durableObject: 'STATE' } });
    const failure = await run(process.execPath, [cli, '--check', '--config', path]).then(() => undefined, (error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('store.durableObject works on Workers only') });
  });

  it('fails --check, as the start fails, for a proxy variable that holds no http(s) URL, naming it and not its value', async () => {
    const path = configFile({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1' }], gatewayKeys: ['gk'] });
    const env = { ...process.env, HTTPS_PROXY: 'socks5://user:hunter2@proxy.corp' };
    const failure = await run(process.execPath, [cli, '--check', '--config', path], { env }).then(() => undefined, (error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('environment HTTPS_PROXY: expected an http(s) proxy URL') });
    expect(failure?.stderr).not.toContain('hunter2');
    // Without a scheme it is an http proxy, as curl reads it.
    const { stdout } = await run(process.execPath, [cli, '--check', '--config', path], { env: { ...process.env, HTTPS_PROXY: 'proxy.corp:3128' } });
    expect(stdout).toContain('config OK');
  });

  it('lets DETOUR_TRACING win over the config’s tracing, and names the variable when it holds no mode (attack 22, D10)', async () => {
    const path = configFile({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1' }], gatewayKeys: ['gk'], tracing: 'off' });
    const { stdout } = await run(process.execPath, [cli, '--check', '--config', path], { env: { ...process.env, DETOUR_TRACING: 'auto' } });
    expect(stdout).toContain('tracing: auto');
    const failure = await run(process.execPath, [cli, '--check', '--config', path], { env: { ...process.env, DETOUR_TRACING: 'verbose' } }).then(() => undefined, (error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('environment DETOUR_TRACING: expected one of "auto", "otlp", "off", not "verbose"') });
  });

  it('names a Redis prefix in what --check prints', async () => {
    const path = configFile({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1' }], gatewayKeys: ['gk'], store: { redis: 'redis://127.0.0.1:1', prefix: 'team-a:' } });
    const { stdout } = await run(process.execPath, [cli, '--check', '--config', path]);
    expect(stdout).toContain('store: redis (prefix "team-a:")');
    // A prefix the Redis store would refuse at the start is refused by --check too.
    const bad = configFile({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1' }], gatewayKeys: ['gk'], store: { redis: 'redis://127.0.0.1:1', prefix: ':' } });
    const failure = await run(process.execPath, [cli, '--check', '--config', bad]).then(() => undefined, (error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('store.prefix') });
  });

  it('fails --check with exit code 1 naming a missing environment variable', async () => {
    const path = configFile({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: { env: 'DETOUR_TEST_UNSET_KEY' } }], gatewayKeys: ['gk'] });
    const failure = await run(process.execPath, [cli, '--check', '--config', path]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('endpoints[0].apiKey: environment variable DETOUR_TEST_UNSET_KEY is not set');
  });

  it('fails with one line, never quoting the file, on a syntax error; and on a port already in use', async () => {
    const failureOf = (args: string[]) => run(process.execPath, [cli, ...args], { env: { ...process.env, DETOUR_TEST_KEY: 'sk-test' } }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    const broken = configFile('');
    writeFileSync(broken, '{\n  "endpoints": [{ "name": "a", "baseUrl": "https://a.example/v1", "apiKey": sk-LEAKME-0123456789 }]\n}\n');
    const syntax = await failureOf(['--check', '--config', broken]);
    expect(syntax?.code).toBe(1);
    expect(syntax?.stderr.trim()).toBe(`Cannot read the config file ${broken}: not valid JSON at line 2, column 77: unexpected character`);

    // An array is refused as written, not as the object that flags spread into it made of it.
    writeFileSync(broken, '[1, 2]');
    const array = await failureOf(['--check', '--config', broken, '--allow-unauthenticated']);
    expect(array?.stderr).toContain('(root): Invalid input: expected object, received array');
    expect(array?.stderr).not.toContain('"0"');

    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    const config = configFile({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: { env: 'DETOUR_TEST_KEY' } }], gatewayKeys: ['gk'] });
    const inUse = await failureOf(['--config', config, '--port', String(port)]).finally(() => taken.close());
    expect(inUse?.code).toBe(1);
    expect(inUse?.stderr.trim()).toBe(`Cannot listen on 127.0.0.1:${port}: the port is in use by another process (pick another --port)`);
  });
});

/** A gateway on one upstream whose access log's first line `line` resolves to. */
const loggedGateway = async (primary: ChaosUpstream) => {
  const config = loadConfig({ endpoints: [{ name: 'primary', baseUrl: primary.baseUrl, apiKey: 'sk-upstream-primary-key' }], gatewayKeys: ['gk-access-log-key'] }, {});
  let logged: (line: string) => void = () => undefined;
  const line = new Promise<string>((resolve) => (logged = resolve));
  const gateway = await startGateway({ config, accessLog: (text) => logged(text) });
  gateways.push(gateway);
  return { gateway, line };
};

/** Opens a stream through the gateway as a caller that may hang up, and reads its first chunk. */
const firstChunkRead = async (url: string, signal: AbortSignal) => {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST', signal, headers: { authorization: 'Bearer gk-access-log-key', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
  });
  const reader = response.body!.getReader();
  await reader.read();
  return reader;
};

/** A gateway on a primary and a backup (priority 1) whose access log's lines are collected in `lines`. */
const loggedPair = async (primary: ChaosUpstream, backup: ChaosUpstream) => {
  upstreams.push(primary, backup);
  const config = loadConfig(
    {
      endpoints: [
        { name: 'primary', baseUrl: primary.baseUrl, apiKey: 'sk-upstream-primary-key', priority: 0 },
        { name: 'backup', baseUrl: backup.baseUrl, apiKey: 'sk-upstream-backup-key', priority: 1 },
      ],
      gatewayKeys: ['gk-access-log-key'],
    },
    {},
  );
  const lines: string[] = [];
  const gateway = await startGateway({ config, accessLog: (line) => lines.push(line) });
  gateways.push(gateway);
  return { gateway, lines };
};

describe('the access log', () => {
  it('writes one JSON line per request with route, model, endpoint, attempts, status, duration and cost, never a key', async () => {
    const primary = await startChaosUpstream({ name: 'primary', script: [{ when: { nth: [1] }, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 20_000 } }] });
    const backup = await startChaosUpstream({ name: 'backup' });
    const { gateway, lines } = await loggedPair(primary, backup);
    const openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'gk-access-log-key', maxRetries: 0 });
    await openai.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] });
    const refused = await fetch(`${gateway.url}/v1/chat/completions?x=1`, { method: 'POST', body: '{}' });
    await refused.arrayBuffer();
    await gateway.close(0);
    gateways.length = 0;

    expect(lines).toHaveLength(2);
    const [served, rejected] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(served).toMatchObject({ method: 'POST', route: '/v1/chat/completions', model: 'gpt-4.1-mini', endpoint: 'backup', attempts: 2, status: 200, error: null });
    expect(typeof served!.durationMs).toBe('number');
    expect(typeof served!.costUsd).toBe('number');
    expect(Date.parse(served!.time as string)).not.toBeNaN();
    expect(rejected).toMatchObject({ route: '/v1/chat/completions', model: null, endpoint: null, attempts: 0, status: 401, costUsd: null, error: 'unauthorized' });
    for (const line of lines) for (const secret of ['sk-upstream', 'gk-access-log-key']) expect(line).not.toContain(secret);
  });

  it('logs a stream the caller hung up on with the endpoint that served it, its attempts and its cost', async () => {
    const primary = await startChaosUpstream({ name: 'primary', script: [{ when: { stream: true }, fault: { type: 'slow-body', chunkDelayMs: 60_000 } }] });
    upstreams.push(primary);
    const { gateway, line } = await loggedGateway(primary);
    const caller = new AbortController();
    const reader = await firstChunkRead(gateway.url, caller.signal);
    caller.abort();
    await reader.closed.catch(() => undefined);
    const entry = JSON.parse(await line) as Record<string, unknown>;
    // 200 went out, and the caller left before the answer was whole.
    expect(entry).toMatchObject({ route: '/v1/chat/completions', model: 'gpt-4.1-mini', endpoint: 'primary', attempts: 1, status: 200, error: 'client_closed' });
    // The abandoned stream was billed, and /metrics and /admin/costs count it: so does its log line (the ninth attack).
    expect(entry.costUsd).toBeGreaterThan(0);
  });

  it('logs a caller who left mid-attempt as 499 with the attempts that reached an upstream (tenth attack)', async () => {
    // Before, the line said `attempts: 0`: the request-end of an attempt the caller's leaving aborted comes after it.
    const primary = await startChaosUpstream({ name: 'primary', script: [{ fault: { type: 'hang' } }] });
    upstreams.push(primary);
    const { gateway, line } = await loggedGateway(primary);
    const caller = new AbortController();
    const answer = fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST', signal: caller.signal, headers: { authorization: 'Bearer gk-access-log-key', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await vi.waitFor(() => expect(primary.stats().total).toBe(1), { timeout: 5000, interval: 5 });
    caller.abort();
    await answer.catch(() => undefined);
    expect(JSON.parse(await line)).toMatchObject({ model: 'gpt-4.1-mini', endpoint: null, attempts: 1, status: 499, error: 'client_closed' });
  });

  it('says why a request failed: a stream cut after its first byte, a relayed upstream error, every endpoint cooling', async () => {
    const primary = await startChaosUpstream({
      name: 'primary',
      script: [
        { when: { nth: [1] }, fault: { type: 'cut-stream', afterTokens: 2 } },
        { when: { nth: [2] }, fault: { type: 'context-length' } },
        { when: { nth: [3] }, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 60_000 } },
      ],
    });
    upstreams.push(primary);
    const config = loadConfig(
      { endpoints: [{ name: 'primary', baseUrl: primary.baseUrl, apiKey: 'sk-upstream-primary-key' }], gatewayKeys: ['gk-access-log-key'], router: { rescue: 'off' } },
      {},
    );
    const lines: string[] = [];
    const gateway = await startGateway({ config, accessLog: (line) => lines.push(line) });
    gateways.push(gateway);
    const ask = async (stream: boolean) => {
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST', headers: { authorization: 'Bearer gk-access-log-key', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4.1-mini', stream, messages: [{ role: 'user', content: 'hi' }] }),
      });
      // The cut stream's connection is closed after its error event: a client sees the break.
      await response.text().catch(() => undefined);
      return response.status;
    };
    expect([await ask(true), await ask(false), await ask(false), await ask(false)]).toEqual([200, 400, 429, 503]);
    await vi.waitFor(() => expect(lines).toHaveLength(4));
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toMatchObject([
      // The stream's 200 went out and ended with an error event: the line says what cut it.
      { status: 200, endpoint: 'primary', error: 'stream_interrupted' },
      // An upstream's refusal, relayed as it was: the router stopped after the one attempt that could not succeed.
      { status: 400, endpoint: null, error: 'attempts_exhausted' },
      { status: 429, error: 'attempts_exhausted' },
      // The endpoint cools down for its Retry-After: the next request has nowhere to go.
      { status: 503, attempts: 0, error: 'no_endpoint_available' },
    ]);
  });

  it('logs a caller who closes its connection in the middle of its body as client_closed (review of attack 23)', async () => {
    const primary = await startChaosUpstream({ name: 'primary' });
    upstreams.push(primary);
    const { gateway, line } = await loggedGateway(primary);
    const socket = connect(Number(new URL(gateway.url).port), '127.0.0.1');
    socket.on('error', () => undefined);
    // Four bytes of a hundred, then the caller's end of the connection: Node's parser sees the body cut short.
    socket.end('POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer gk-access-log-key\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"mo');
    // It was logged `malformed_request` before: a request Node found broken, not a caller who left. The status is what
    // Node wrote: this caller shut only its sending side, and reads the 400.
    expect(JSON.parse(await line)).toMatchObject({ route: '/v1/chat/completions', status: 400, error: 'client_closed' });
  });

  it('logs a caller who hangs up on a stream while it is rescued as client_closed', async () => {
    const primary = await startChaosUpstream({ name: 'primary', script: [{ when: { stream: true }, fault: { type: 'cut-stream', afterTokens: 2 } }] });
    const backup = await startChaosUpstream({ name: 'backup', script: [{ fault: { type: 'hang' } }] });
    const { gateway, lines } = await loggedPair(primary, backup);
    const caller = new AbortController();
    const reader = await firstChunkRead(gateway.url, caller.signal);
    await vi.waitFor(() => expect(backup.stats().total).toBe(1), { timeout: 5000, interval: 5 });
    caller.abort();
    await reader.closed.catch(() => undefined);
    await vi.waitFor(() => expect(lines).toHaveLength(1));
    expect(JSON.parse(lines[0]!)).toMatchObject({ status: 200, error: 'client_closed' });
  });

  it('logs a body that never arrived whole as 408, and counts it as request_incomplete, not an internal error', async () => {
    const primary = await startChaosUpstream({ name: 'primary' });
    upstreams.push(primary);
    const config = loadConfig(
      { endpoints: [{ name: 'primary', baseUrl: primary.baseUrl, apiKey: 'sk-upstream-primary-key' }], gatewayKeys: ['gk-access-log-key'], requestTimeoutMs: 1000, headersTimeoutMs: 1000 },
      {},
    );
    let logged: (line: string) => void = () => undefined;
    const line = new Promise<string>((resolve) => (logged = resolve));
    const gateway = await startGateway({ config, accessLog: (text) => logged(text) });
    gateways.push(gateway);
    // Headers, then one byte of a chunked body, then nothing: Node's request timeout answers 408 and closes.
    const socket = connect(Number(new URL(gateway.url).port), '127.0.0.1');
    let answer = '';
    socket.on('data', (data) => (answer += data));
    socket.write('POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer gk-access-log-key\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n1\r\n{\r\n');
    await new Promise((resolve) => socket.on('close', resolve));
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(JSON.parse(await line)).toMatchObject({ route: '/v1/chat/completions', endpoint: null, attempts: 0, status: 408, error: 'request_incomplete' });
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain('detour_rejected_requests_total{reason="request_incomplete"} 1');
    expect(metrics).not.toContain('reason="internal_error"');
  });

  it('logs and counts what Node refuses before the gateway sees it (not HTTP, headers too large or too slow), answering as Node does', async () => {
    const config = loadConfig(
      { endpoints: [{ name: 'primary', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-upstream-primary-key' }], gatewayKeys: ['gk-access-log-key'], requestTimeoutMs: 1000, headersTimeoutMs: 1000 },
      {},
    );
    const lines: string[] = [];
    const gateway = await startGateway({ config, accessLog: (text) => lines.push(text) });
    gateways.push(gateway);
    const exchange = (bytes: string) =>
      new Promise<string>((resolve) => {
        const socket = connect(Number(new URL(gateway.url).port), '127.0.0.1');
        let answer = '';
        socket.on('data', (data) => (answer += data));
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(answer));
        socket.write(bytes);
      });
    // A connection that never sends a byte (a preconnect) is answered 408 by Node, and is no refused request.
    expect(await exchange('')).toBe('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
    expect(await exchange('HELLO WORLD\r\n\r\n')).toBe('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    expect(await exchange(`GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`)).toBe('HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n');
    // Headers begun and never finished: Node's headers timeout answers 408.
    expect(await exchange('POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n')).toBe('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
    expect(lines.map((line) => JSON.parse(line) as { status: number; method: null; route: null })).toMatchObject([
      { method: null, route: null, status: 400, error: 'malformed_request' },
      { method: null, route: null, status: 431, error: 'headers_too_large' },
      { method: null, route: null, status: 408, error: 'request_incomplete' },
    ]);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain('detour_rejected_requests_total{reason="malformed_request"} 1');
    expect(metrics).toContain('detour_rejected_requests_total{reason="headers_too_large"} 1');
    expect(metrics).toContain('detour_rejected_requests_total{reason="request_incomplete"} 1');
    // A body whose chunk is not HTTP, after whole headers: Node answers 400, and the gateway's line says so.
    const broken = await exchange('POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer gk-access-log-key\r\ntransfer-encoding: chunked\r\n\r\n5\r\n{"mod\r\nZZ\r\n');
    expect(broken).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    // After the scrape's own line.
    await vi.waitFor(() => expect(lines).toHaveLength(5));
    expect(JSON.parse(lines[4]!)).toMatchObject({ method: 'POST', route: '/v1/chat/completions', status: 400, error: 'malformed_request' });
  });
});
